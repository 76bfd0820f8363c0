using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Groups and their members; adapters over <see cref="Application.Identity.GroupService"/>.</summary>
internal sealed partial class IamService
{
    private void RegisterGroups()
    {
        On("CreateGroup", CreateGroupAsync);
        On("GetGroup", GetGroupAsync);
        On("ListGroups", ListGroupsAsync);
        On("DeleteGroup", DeleteGroupAsync);
        On("UpdateGroup", UpdateGroupAsync);
        On("AddUserToGroup", AddUserToGroupAsync);
        On("RemoveUserFromGroup", RemoveUserFromGroupAsync);
        On("ListGroupsForUser", ListGroupsForUserAsync);
    }

    private async Task<XElement?> CreateGroupAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = IamValidation.Name(args.Required("GroupName"), "groupName", 128);
        var path = IamValidation.Path(args.Get("Path"));
        var group = await _groups.CreateGroupAsync(context, name, path, cancellationToken);
        return Result("CreateGroup", new XElement("Group", Group(group)));
    }

    private async Task<XElement?> GetGroupAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var found = await _groups.GetGroupAsync(context, args.Required("GroupName"), cancellationToken);
        var (users, paging) = Page(found.Members, args);
        return Result("GetGroup", new XElement("Group", Group(found.Group)), Members("Users", users.Select(u => User(u))), paging);
    }

    private async Task<XElement?> ListGroupsAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (groups, paging) = Page(await _groups.ListGroupsAsync(context, args.Get("PathPrefix"), cancellationToken), args);
        return Result("ListGroups", Members("Groups", groups.Select(Group)), paging);
    }

    private async Task<XElement?> DeleteGroupAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _groups.DeleteGroupAsync(context, args.Required("GroupName"), cancellationToken);
        return null;
    }

    private async Task<XElement?> UpdateGroupAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("GroupName");
        var newName = args.Get("NewGroupName") is { } given ? IamValidation.Name(given, "newGroupName", 128) : null;
        var newPath = args.Get("NewPath") is { } path ? IamValidation.Path(path, "newPath") : null;
        await _groups.UpdateGroupAsync(context, name, newName, newPath, cancellationToken);
        return null;
    }

    private async Task<XElement?> AddUserToGroupAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _groups.AddUserToGroupAsync(context, args.Required("GroupName"), args.Required("UserName"), cancellationToken);
        return null;
    }

    private async Task<XElement?> RemoveUserFromGroupAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _groups.RemoveUserFromGroupAsync(context, args.Required("GroupName"), args.Required("UserName"), cancellationToken);
        return null;
    }

    private async Task<XElement?> ListGroupsForUserAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (groups, paging) = Page(await _groups.ListGroupsForUserAsync(context, args.Required("UserName"), cancellationToken), args);
        return Result("ListGroupsForUser", Members("Groups", groups.Select(Group)), paging);
    }
}
