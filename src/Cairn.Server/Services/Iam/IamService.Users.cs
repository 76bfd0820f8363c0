using System.Xml.Linq;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Users, their access keys and tags: adapters over <see cref="Application.Identity.UserService"/> and <see cref="Application.Identity.AccessKeyService"/> (input checked against <see cref="IamShapes"/>).</summary>
internal sealed partial class IamService
{
    private void RegisterUsers()
    {
        On("CreateUser", CreateUserAsync);
        On("GetUser", GetUserAsync);
        On("ListUsers", ListUsersAsync);
        On("DeleteUser", DeleteUserAsync);
        On("UpdateUser", UpdateUserAsync);
        On("PutUserPermissionsBoundary", PutUserPermissionsBoundaryAsync);
        On("DeleteUserPermissionsBoundary", DeleteUserPermissionsBoundaryAsync);
        On("TagUser", TagUserAsync);
        On("UntagUser", UntagUserAsync);
        On("ListUserTags", ListUserTagsAsync);
        On("CreateAccessKey", CreateAccessKeyAsync);
        On("ListAccessKeys", ListAccessKeysAsync);
        On("UpdateAccessKey", UpdateAccessKeyAsync);
        On("DeleteAccessKey", DeleteAccessKeyAsync);
        On("GetAccessKeyLastUsed", GetAccessKeyLastUsedAsync);
    }

    private async Task<XElement?> CreateUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var tags = args.Tags();
        var user = await _users.CreateUserAsync(context, args.Required("UserName"), args.Get("Path"), tags, args.Get("PermissionsBoundary"), cancellationToken);
        return Result("CreateUser", new XElement("User", User(user, tags)));
    }

    private async Task<XElement?> GetUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var found = await _users.GetUserAsync(context, args.Get("UserName"), cancellationToken);

        // The root user asking about itself: AWS answers with the account's root identity.
        return found is null
            ? Result("GetUser", new XElement("User", E("UserId", context.AccountId), E("Arn", context.Principal.Arn), E("CreateDate", Now)))
            : Result("GetUser", new XElement("User", User(found.User, found.Tags)));
    }

    private async Task<XElement?> ListUsersAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (users, paging) = Page(await _users.ListUsersAsync(context, args.Get("PathPrefix"), cancellationToken), args);
        return Result("ListUsers", Members("Users", users.Select(u => User(u, boundary: false))), paging);
    }

    private async Task<XElement?> PutUserPermissionsBoundaryAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _users.PutUserPermissionsBoundaryAsync(context, args.Required("UserName"), args.Required("PermissionsBoundary"), cancellationToken);
        return null;
    }

    private async Task<XElement?> DeleteUserPermissionsBoundaryAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _users.DeleteUserPermissionsBoundaryAsync(context, args.Required("UserName"), cancellationToken);
        return null;
    }

    private async Task<XElement?> DeleteUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _users.DeleteUserAsync(context, args.Required("UserName"), cancellationToken);
        return null;
    }

    private async Task<XElement?> UpdateUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _users.UpdateUserAsync(context, args.Required("UserName"), args.Get("NewUserName"), args.Get("NewPath"), cancellationToken);
        return null;
    }

    private async Task<XElement?> TagUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _users.TagUserAsync(context, args.Required("UserName"), args.Tags(), cancellationToken);
        return null;
    }

    private async Task<XElement?> UntagUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _users.UntagUserAsync(context, args.Required("UserName"), args.List("TagKeys"), cancellationToken);
        return null;
    }

    private async Task<XElement?> ListUserTagsAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (tags, paging) = Page(await _users.ListUserTagsAsync(context, args.Required("UserName"), cancellationToken), args);
        return Result("ListUserTags", Tags(tags), paging);
    }

    private async Task<XElement?> CreateAccessKeyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var key = await _accessKeys.CreateAccessKeyAsync(context, args.Get("UserName"), cancellationToken);
        return Result("CreateAccessKey", new XElement("AccessKey",
            E("UserName", key.UserName), E("AccessKeyId", key.AccessKeyId), E("Status", key.Status),
            E("SecretAccessKey", key.SecretAccessKey), E("CreateDate", key.CreateDate)));
    }

    private async Task<XElement?> ListAccessKeysAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (keys, paging) = Page(await _accessKeys.ListAccessKeysAsync(context, args.Get("UserName"), cancellationToken), args);
        return Result("ListAccessKeys", Members("AccessKeyMetadata", keys.Select(AccessKeyMetadata)), paging);
    }

    private async Task<XElement?> UpdateAccessKeyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _accessKeys.UpdateAccessKeyAsync(context, args.Get("UserName"), args.Required("AccessKeyId"), args.Required("Status"), cancellationToken);
        return null;
    }

    private async Task<XElement?> DeleteAccessKeyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _accessKeys.DeleteAccessKeyAsync(context, args.Get("UserName"), args.Required("AccessKeyId"), cancellationToken);
        return null;
    }

    private async Task<XElement?> GetAccessKeyLastUsedAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var key = await _accessKeys.GetAccessKeyLastUsedAsync(context, args.Required("AccessKeyId"), cancellationToken);
        return Result("GetAccessKeyLastUsed", E("UserName", key.UserName), new XElement("AccessKeyLastUsed",
            E("LastUsedDate", key.LastUsedDate), E("ServiceName", key.LastUsedService ?? "N/A"), E("Region", key.LastUsedRegion ?? "N/A")));
    }
}
