using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// IAM groups and their members as an application service: each call authorized as <c>iam:&lt;Action&gt;</c> on the
/// group's ARN (the user's for ListGroupsForUser) before it runs, as IAM does. IAM's Query API is an adapter over it.
/// Input shapes are the caller's to check.
/// </summary>
public sealed class GroupService(IIdentityStore store, IAuthorizer authorizer, TimeProvider time)
{
    public async Task<IamGroup> CreateGroupAsync(RequestContext context, string groupName, string? path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var arn = IamArns.Of(context.AccountId, "group", path ?? "/", groupName);
        await AuthorizeAsync(context, "CreateGroup", arn, cancellationToken);
        var group = new IamGroup(context.AccountId, groupName, IdentityIds.GroupId(), path ?? "/", arn, time.GetUtcNow());
        await store.CreateGroupAsync(group, cancellationToken);
        return group;
    }

    /// <summary>The group and its members; NoSuchEntity when missing.</summary>
    public async Task<GroupDetails> GetGroupAsync(RequestContext context, string groupName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var group = await store.FindGroupAsync(context.AccountId, groupName, cancellationToken);
        await AuthorizeAsync(context, "GetGroup", GroupArn(context, groupName, group), cancellationToken);
        if (group is null)
        {
            throw AwsErrors.NoSuchGroup(groupName);
        }

        return new GroupDetails(group, await store.ListGroupMembersAsync(context.AccountId, group.GroupName, cancellationToken));
    }

    /// <summary>The account's groups whose path starts with <paramref name="pathPrefix"/> (all when null).</summary>
    public async Task<IReadOnlyList<IamGroup>> ListGroupsAsync(RequestContext context, string? pathPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListGroups", IamArns.Of(context.AccountId, "group", "/", string.Empty), cancellationToken);
        return IamArns.UnderPath(await store.ListGroupsAsync(context.AccountId, cancellationToken), pathPrefix, g => g.Path);
    }

    public async Task DeleteGroupAsync(RequestContext context, string groupName, CancellationToken cancellationToken)
    {
        await AuthorizeOnGroupAsync(context, groupName, "DeleteGroup", cancellationToken);
        await store.DeleteGroupAsync(context.AccountId, groupName, cancellationToken);
    }

    /// <summary>Renames and/or moves a group. As on AWS, the caller needs iam:UpdateGroup on both the old and the new ARN.</summary>
    public async Task UpdateGroupAsync(RequestContext context, string groupName, string? newGroupName, string? newPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var group = await store.FindGroupAsync(context.AccountId, groupName, cancellationToken);
        await AuthorizeAsync(context, "UpdateGroup", GroupArn(context, groupName, group), cancellationToken);
        if (group is null)
        {
            throw AwsErrors.NoSuchGroup(groupName);
        }

        var newArn = IamArns.Of(context.AccountId, "group", newPath ?? group.Path, newGroupName ?? group.GroupName);
        if (newArn != group.Arn)
        {
            await AuthorizeAsync(context, "UpdateGroup", newArn, cancellationToken);
        }

        await store.UpdateGroupAsync(context.AccountId, group.GroupName, newGroupName, newPath, newArn, cancellationToken);
    }

    public async Task AddUserToGroupAsync(RequestContext context, string groupName, string userName, CancellationToken cancellationToken)
    {
        await AuthorizeOnGroupAsync(context, groupName, "AddUserToGroup", cancellationToken);
        await store.AddUserToGroupAsync(context.AccountId, groupName, userName, cancellationToken);
    }

    public async Task RemoveUserFromGroupAsync(RequestContext context, string groupName, string userName, CancellationToken cancellationToken)
    {
        await AuthorizeOnGroupAsync(context, groupName, "RemoveUserFromGroup", cancellationToken);
        await store.RemoveUserFromGroupAsync(context.AccountId, groupName, userName, cancellationToken);
    }

    /// <summary>The groups a user belongs to, authorized on the user; NoSuchEntity when the user is missing.</summary>
    public async Task<IReadOnlyList<IamGroup>> ListGroupsForUserAsync(RequestContext context, string userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = await store.FindUserAsync(context.AccountId, userName, cancellationToken);
        await AuthorizeAsync(context, "ListGroupsForUser", IamArns.User(context, userName, user), cancellationToken);
        if (user is null)
        {
            throw AwsErrors.NoSuchUser(userName);
        }

        return await store.ListGroupsForUserAsync(context.AccountId, user.UserName, cancellationToken);
    }

    /// <summary>The group's ARN, or the root-path one when there is no such group.</summary>
    public static string GroupArn(RequestContext context, string groupName, IamGroup? group)
    {
        ArgumentNullException.ThrowIfNull(context);
        return group?.Arn ?? IamArns.Of(context.AccountId, "group", "/", groupName);
    }

    internal async Task AuthorizeOnGroupAsync(RequestContext context, string groupName, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, action, GroupArn(context, groupName, await store.FindGroupAsync(context.AccountId, groupName, cancellationToken)), cancellationToken);
    }

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "iam:" + action, resourceArn, cancellationToken);
}
