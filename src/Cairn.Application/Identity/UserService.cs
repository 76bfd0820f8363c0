using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// IAM users and their tags as an application service: each call authorized as <c>iam:&lt;Action&gt;</c> on the user's
/// ARN before it runs, as IAM does. IAM's Query API is an adapter over it (with <see cref="AccessKeyService"/>); the
/// dashboard and agents call it directly. Input shapes (lengths, patterns) are the caller's to check.
/// </summary>
public sealed class UserService(IIdentityStore store, IAuthorizer authorizer, TimeProvider time)
{
    /// <summary>Creates a user at <paramref name="path"/> (default <c>/</c>) with its tags and, optionally, its permissions boundary.</summary>
    public async Task<IamUser> CreateUserAsync(
        RequestContext context, string userName, string? path, IReadOnlyList<IamTag> tags, string? permissionsBoundary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IamTags.EnsureUniqueKeys(tags);
        var arn = IamArns.Of(context.AccountId, "user", path ?? "/", userName);
        await authorizer.AuthorizeAsync(context, PermissionsBoundaries.Request("iam:CreateUser", arn, permissionsBoundary), cancellationToken);
        if (permissionsBoundary is not null)
        {
            await PermissionsBoundaries.CheckAsync(store, context.AccountId, permissionsBoundary, cancellationToken);
        }

        var user = new IamUser(context.AccountId, userName, IdentityIds.UserId(), path ?? "/", arn, time.GetUtcNow(), permissionsBoundary);
        await store.CreateUserAsync(user, tags, cancellationToken);
        return user;
    }

    /// <summary>A user and its tags; without a name, the calling IAM user. Null when the caller is the root user asking about itself.</summary>
    public async Task<UserDetails?> GetUserAsync(RequestContext context, string? userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = userName ?? CallerUserName(context);
        if (name is null)
        {
            await AuthorizeAsync(context, "GetUser", context.Principal.Arn, cancellationToken);
            return null;
        }

        var user = await ExistingUserAsync(context, name, "GetUser", cancellationToken);
        return new UserDetails(user, await store.ListTagsAsync(context.AccountId, IamEntityKind.User, user.UserName, cancellationToken));
    }

    /// <summary>The account's users whose path starts with <paramref name="pathPrefix"/> (all when null).</summary>
    public async Task<IReadOnlyList<IamUser>> ListUsersAsync(RequestContext context, string? pathPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListUsers", IamArns.Of(context.AccountId, "user", "/", string.Empty), cancellationToken);
        return IamArns.UnderPath(await store.ListUsersAsync(context.AccountId, cancellationToken), pathPrefix, u => u.Path);
    }

    public async Task DeleteUserAsync(RequestContext context, string userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "DeleteUser", await UserArnAsync(context, userName, cancellationToken), cancellationToken);
        await store.DeleteUserAsync(context.AccountId, userName, cancellationToken);
    }

    /// <summary>Renames and/or moves a user. As on AWS, the caller needs iam:UpdateUser on both the old and the new ARN.</summary>
    public async Task UpdateUserAsync(RequestContext context, string userName, string? newUserName, string? newPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = await ExistingUserAsync(context, userName, "UpdateUser", cancellationToken);
        var newArn = IamArns.Of(context.AccountId, "user", newPath ?? user.Path, newUserName ?? user.UserName);
        if (newArn != user.Arn)
        {
            await AuthorizeAsync(context, "UpdateUser", newArn, cancellationToken);
        }

        await store.UpdateUserAsync(context.AccountId, user.UserName, newUserName, newPath, newArn, cancellationToken);
    }

    /// <summary>Sets or replaces the user's permissions boundary: an existing managed policy's ARN.</summary>
    public async Task PutUserPermissionsBoundaryAsync(RequestContext context, string userName, string boundaryArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = await store.FindUserAsync(context.AccountId, userName, cancellationToken);
        await authorizer.AuthorizeAsync(
            context, PermissionsBoundaries.Request("iam:PutUserPermissionsBoundary", IamArns.User(context, userName, user), boundaryArn), cancellationToken);
        if (user is null)
        {
            throw AwsErrors.NoSuchUser(userName);
        }

        await PermissionsBoundaries.CheckAsync(store, context.AccountId, boundaryArn, cancellationToken);
        await store.SetPermissionsBoundaryAsync(context.AccountId, IamEntityKind.User, user.UserName, boundaryArn, cancellationToken);
    }

    /// <summary>Removes the user's permissions boundary (a user without one is left as it is).</summary>
    public async Task DeleteUserPermissionsBoundaryAsync(RequestContext context, string userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = await store.FindUserAsync(context.AccountId, userName, cancellationToken);
        await authorizer.AuthorizeAsync(
            context, PermissionsBoundaries.Request("iam:DeleteUserPermissionsBoundary", IamArns.User(context, userName, user), user?.PermissionsBoundary), cancellationToken);
        if (user is null)
        {
            throw AwsErrors.NoSuchUser(userName);
        }

        await store.SetPermissionsBoundaryAsync(context.AccountId, IamEntityKind.User, user.UserName, null, cancellationToken);
    }

    /// <summary>Adds or replaces tags (keys ignoring case); at most <see cref="IamTags.MaxPerEntity"/> in all.</summary>
    public async Task TagUserAsync(RequestContext context, string userName, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IamTags.EnsureUniqueKeys(tags);
        await AuthorizeAsync(context, "TagUser", await UserArnAsync(context, userName, cancellationToken), cancellationToken);
        await store.TagAsync(context.AccountId, IamEntityKind.User, userName, tags, IamTags.MaxPerEntity, cancellationToken);
    }

    public async Task UntagUserAsync(RequestContext context, string userName, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "UntagUser", await UserArnAsync(context, userName, cancellationToken), cancellationToken);
        await store.UntagAsync(context.AccountId, IamEntityKind.User, userName, tagKeys, cancellationToken);
    }

    public async Task<IReadOnlyList<IamTag>> ListUserTagsAsync(RequestContext context, string userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = await ExistingUserAsync(context, userName, "ListUserTags", cancellationToken);
        return await store.ListTagsAsync(context.AccountId, IamEntityKind.User, user.UserName, cancellationToken);
    }

    /// <summary>The IAM user making the request, or null for the root user and roles.</summary>
    public static string? CallerUserName(RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Principal.Kind == PrincipalKind.User ? context.Principal.Name : null;
    }

    /// <summary>Authorizes <paramref name="action"/> on the user (its ARN, or the root-path one when missing), then NoSuchEntity when missing.</summary>
    internal async Task<IamUser> ExistingUserAsync(RequestContext context, string userName, string action, CancellationToken cancellationToken)
    {
        var user = await store.FindUserAsync(context.AccountId, userName, cancellationToken);
        await AuthorizeAsync(context, action, IamArns.User(context, userName, user), cancellationToken);
        return user ?? throw AwsErrors.NoSuchUser(userName);
    }

    internal async Task<string> UserArnAsync(RequestContext context, string userName, CancellationToken cancellationToken) =>
        IamArns.User(context, userName, await store.FindUserAsync(context.AccountId, userName, cancellationToken));

    internal ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "iam:" + action, resourceArn, cancellationToken);
}
