using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Users, their access keys and tags.</summary>
internal sealed partial class IamService
{
    private void RegisterUsers()
    {
        On("CreateUser", CreateUserAsync);
        On("GetUser", GetUserAsync);
        On("ListUsers", ListUsersAsync);
        On("DeleteUser", DeleteUserAsync);
        On("UpdateUser", UpdateUserAsync);
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
        var name = IamValidation.Name(args.Required("UserName"), "userName", 64);
        var path = IamValidation.Path(args.Get("Path"));
        var tags = IamValidation.Tags(args.Tags());
        var arn = Arn(context.AccountId, "user", path, name);
        await AuthorizeAsync(context, "CreateUser", arn, cancellationToken);
        var user = new IamUser(context.AccountId, name, IdentityIds.UserId(), path, arn, Now);
        await _store.CreateUserAsync(user, tags, cancellationToken);
        return Result("CreateUser", new XElement("User", User(user, tags)));
    }

    private async Task<XElement?> GetUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Get("UserName") ?? CallerUserName(context);
        if (name is null)
        {
            // The root user asking about itself: AWS answers with the account's root identity.
            await AuthorizeAsync(context, "GetUser", context.Principal.Arn, cancellationToken);
            return Result("GetUser", new XElement("User", E("UserId", context.AccountId), E("Arn", context.Principal.Arn), E("CreateDate", Now)));
        }

        var user = await _store.FindUserAsync(context.AccountId, name, cancellationToken);
        await AuthorizeAsync(context, "GetUser", UserArn(context, name, user), cancellationToken);
        if (user is null)
        {
            throw AwsErrors.NoSuchUser(name);
        }
        return Result("GetUser", new XElement("User", User(user, await _store.ListTagsAsync(context.AccountId, IamEntityKind.User, user.UserName, cancellationToken))));
    }

    private async Task<XElement?> ListUsersAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, "ListUsers", Arn(context.AccountId, "user", "/", string.Empty), cancellationToken);
        var (users, paging) = Page(WithPathPrefix(await _store.ListUsersAsync(context.AccountId, cancellationToken), args, u => u.Path).ToList(), args);
        return Result("ListUsers", Members("Users", users.Select(u => User(u))), paging);
    }

    private async Task<XElement?> DeleteUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("UserName");
        await AuthorizeAsync(context, "DeleteUser", UserArn(context, name, await _store.FindUserAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        await _store.DeleteUserAsync(context.AccountId, name, cancellationToken);
        return null;
    }

    /// <summary>Renames and/or moves a user. As on AWS, the caller needs iam:UpdateUser on both the old and the new ARN.</summary>
    private async Task<XElement?> UpdateUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("UserName");
        var newName = args.Get("NewUserName") is { } n ? IamValidation.Name(n, "newUserName", 64) : null;
        var newPath = args.Get("NewPath") is { } p ? IamValidation.Path(p, "newPath") : null;
        var user = await _store.FindUserAsync(context.AccountId, name, cancellationToken);
        await AuthorizeAsync(context, "UpdateUser", UserArn(context, name, user), cancellationToken);
        if (user is null)
        {
            throw AwsErrors.NoSuchUser(name);
        }

        var newArn = Arn(context.AccountId, "user", newPath ?? user.Path, newName ?? user.UserName);
        if (newArn != user.Arn)
        {
            await AuthorizeAsync(context, "UpdateUser", newArn, cancellationToken);
        }

        await _store.UpdateUserAsync(context.AccountId, user.UserName, newName, newPath, newArn, cancellationToken);
        return null;
    }

    private async Task<XElement?> TagUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("UserName");
        var tags = IamValidation.Tags(args.Tags());
        await AuthorizeAsync(context, "TagUser", UserArn(context, name, await _store.FindUserAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        await _store.TagAsync(context.AccountId, IamEntityKind.User, name, tags, MaxTags, cancellationToken);
        return null;
    }

    private async Task<XElement?> UntagUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("UserName");
        await AuthorizeAsync(context, "UntagUser", UserArn(context, name, await _store.FindUserAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        await _store.UntagAsync(context.AccountId, IamEntityKind.User, name, args.List("TagKeys"), cancellationToken);
        return null;
    }

    private async Task<XElement?> ListUserTagsAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("UserName");
        var user = await _store.FindUserAsync(context.AccountId, name, cancellationToken);
        await AuthorizeAsync(context, "ListUserTags", UserArn(context, name, user), cancellationToken);
        if (user is null)
        {
            throw AwsErrors.NoSuchUser(name);
        }
        var (tags, paging) = Page(await _store.ListTagsAsync(context.AccountId, IamEntityKind.User, user.UserName, cancellationToken), args);
        return Result("ListUserTags", Tags(tags), paging);
    }

    private async Task<XElement?> CreateAccessKeyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Get("UserName") ?? CallerUserName(context)
            ?? throw AwsErrors.InvalidInput("Cairn does not issue access keys for the root user; name an IAM user with UserName.");
        var user = await _store.FindUserAsync(context.AccountId, name, cancellationToken);
        await AuthorizeAsync(context, "CreateAccessKey", UserArn(context, name, user), cancellationToken);
        if (user is null)
        {
            throw AwsErrors.NoSuchUser(name);
        }
        var key = new AccessKeyInfo(IdentityIds.AccessKeyId(), IdentityIds.SecretAccessKey(), context.AccountId, user.UserName, "Active", Now);
        await _store.CreateAccessKeyAsync(key, MaxAccessKeysPerUser, cancellationToken);
        return Result("CreateAccessKey", new XElement("AccessKey",
            E("UserName", key.UserName), E("AccessKeyId", key.AccessKeyId), E("Status", key.Status),
            E("SecretAccessKey", key.SecretAccessKey), E("CreateDate", key.CreateDate)));
    }

    private async Task<XElement?> ListAccessKeysAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Get("UserName") ?? CallerUserName(context);
        if (name is null)
        {
            await AuthorizeAsync(context, "ListAccessKeys", context.Principal.Arn, cancellationToken);
            return Result("ListAccessKeys", Members("AccessKeyMetadata", []), Paging(false, null));
        }

        var user = await _store.FindUserAsync(context.AccountId, name, cancellationToken);
        await AuthorizeAsync(context, "ListAccessKeys", UserArn(context, name, user), cancellationToken);
        if (user is null)
        {
            throw AwsErrors.NoSuchUser(name);
        }
        var (keys, paging) = Page(await _store.ListAccessKeysAsync(context.AccountId, user.UserName, cancellationToken), args);
        return Result("ListAccessKeys", Members("AccessKeyMetadata", keys.Select(AccessKeyMetadata)), paging);
    }

    private async Task<XElement?> UpdateAccessKeyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var keyId = args.Required("AccessKeyId");
        var status = args.Required("Status");
        if (status is not ("Active" or "Inactive"))
        {
            throw AwsErrors.QueryValidation(status, "status", "Member must satisfy enum value set: [Active, Inactive, Expired]");
        }

        var name = await OwnerOfKeyAsync(args, context, keyId, cancellationToken);
        await AuthorizeAsync(context, "UpdateAccessKey", UserArn(context, name, await _store.FindUserAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        await _store.UpdateAccessKeyAsync(context.AccountId, name, keyId, status, cancellationToken);
        return null;
    }

    private async Task<XElement?> DeleteAccessKeyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var keyId = args.Required("AccessKeyId");
        var name = await OwnerOfKeyAsync(args, context, keyId, cancellationToken);
        await AuthorizeAsync(context, "DeleteAccessKey", UserArn(context, name, await _store.FindUserAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        await _store.DeleteAccessKeyAsync(context.AccountId, name, keyId, cancellationToken);
        return null;
    }

    private async Task<XElement?> GetAccessKeyLastUsedAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var keyId = args.Required("AccessKeyId");
        var key = await _store.FindAccessKeyAsync(keyId, cancellationToken);
        if (key is null || key.AccountId != context.AccountId)
        {
            throw AwsErrors.QueryAccessDenied($"User: {context.Principal.Arn} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key {keyId}");
        }

        await AuthorizeAsync(context, "GetAccessKeyLastUsed", UserArn(context, key.UserName, await _store.FindUserAsync(key.AccountId, key.UserName, cancellationToken)), cancellationToken);
        return Result("GetAccessKeyLastUsed", E("UserName", key.UserName), new XElement("AccessKeyLastUsed",
            E("LastUsedDate", key.LastUsedDate), E("ServiceName", key.LastUsedService ?? "N/A"), E("Region", key.LastUsedRegion ?? "N/A")));
    }

    /// <summary>The user a key operation is about: UserName, else the caller itself (an IAM user managing its own keys).</summary>
    private async Task<string> OwnerOfKeyAsync(QueryArgs args, RequestContext context, string keyId, CancellationToken cancellationToken)
    {
        if (args.Get("UserName") is { } named)
        {
            return named;
        }

        if (CallerUserName(context) is { } self)
        {
            return self;
        }

        var key = await _store.FindAccessKeyAsync(keyId, cancellationToken);
        return key is not null && key.AccountId == context.AccountId ? key.UserName : throw AwsErrors.NoSuchAccessKey(keyId);
    }

    private static string? CallerUserName(RequestContext context) =>
        context.Principal.Kind == PrincipalKind.User ? context.Principal.Name : null;
}
