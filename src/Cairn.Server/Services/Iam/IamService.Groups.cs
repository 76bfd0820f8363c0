using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Groups and their members.</summary>
internal sealed partial class IamService
{
    private void RegisterGroups()
    {
        On("CreateGroup", CreateGroupAsync);
        On("GetGroup", GetGroupAsync);
        On("ListGroups", ListGroupsAsync);
        On("DeleteGroup", DeleteGroupAsync);
        On("AddUserToGroup", AddUserToGroupAsync);
        On("RemoveUserFromGroup", RemoveUserFromGroupAsync);
        On("ListGroupsForUser", ListGroupsForUserAsync);
    }

    private async Task<XElement?> CreateGroupAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = IamValidation.Name(args.Required("GroupName"), "groupName", 128);
        var path = IamValidation.Path(args.Get("Path"));
        var arn = Arn(context.AccountId, "group", path, name);
        await AuthorizeAsync(context, "CreateGroup", arn, cancellationToken);
        var group = new IamGroup(context.AccountId, name, IdentityIds.GroupId(), path, arn, Now);
        await _store.CreateGroupAsync(group, cancellationToken);
        return Result("CreateGroup", new XElement("Group", Group(group)));
    }

    private async Task<XElement?> GetGroupAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("GroupName");
        var group = await _store.FindGroupAsync(context.AccountId, name, cancellationToken);
        await AuthorizeAsync(context, "GetGroup", GroupArn(context, name, group), cancellationToken);
        if (group is null)
        {
            throw AwsErrors.NoSuchGroup(name);
        }
        var (users, paging) = Page(await _store.ListGroupMembersAsync(context.AccountId, group.GroupName, cancellationToken), args);
        return Result("GetGroup", new XElement("Group", Group(group)), Members("Users", users.Select(u => User(u))), paging);
    }

    private async Task<XElement?> ListGroupsAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, "ListGroups", Arn(context.AccountId, "group", "/", string.Empty), cancellationToken);
        var (groups, paging) = Page(WithPathPrefix(await _store.ListGroupsAsync(context.AccountId, cancellationToken), args, g => g.Path).ToList(), args);
        return Result("ListGroups", Members("Groups", groups.Select(Group)), paging);
    }

    private async Task<XElement?> DeleteGroupAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("GroupName");
        await AuthorizeAsync(context, "DeleteGroup", GroupArn(context, name, await _store.FindGroupAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        await _store.DeleteGroupAsync(context.AccountId, name, cancellationToken);
        return null;
    }

    private async Task<XElement?> AddUserToGroupAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var group = args.Required("GroupName");
        var user = args.Required("UserName");
        await AuthorizeAsync(context, "AddUserToGroup", GroupArn(context, group, await _store.FindGroupAsync(context.AccountId, group, cancellationToken)), cancellationToken);
        await _store.AddUserToGroupAsync(context.AccountId, group, user, cancellationToken);
        return null;
    }

    private async Task<XElement?> RemoveUserFromGroupAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var group = args.Required("GroupName");
        var user = args.Required("UserName");
        await AuthorizeAsync(context, "RemoveUserFromGroup", GroupArn(context, group, await _store.FindGroupAsync(context.AccountId, group, cancellationToken)), cancellationToken);
        await _store.RemoveUserFromGroupAsync(context.AccountId, group, user, cancellationToken);
        return null;
    }

    private async Task<XElement?> ListGroupsForUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("UserName");
        var user = await _store.FindUserAsync(context.AccountId, name, cancellationToken);
        await AuthorizeAsync(context, "ListGroupsForUser", UserArn(context, name, user), cancellationToken);
        if (user is null)
        {
            throw AwsErrors.NoSuchUser(name);
        }
        var (groups, paging) = Page(await _store.ListGroupsForUserAsync(context.AccountId, user.UserName, cancellationToken), args);
        return Result("ListGroupsForUser", Members("Groups", groups.Select(Group)), paging);
    }
}
