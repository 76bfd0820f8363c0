using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// IAM roles (trust policies, settings, tags) as an application service: each call authorized as <c>iam:&lt;Action&gt;</c>
/// on the role's ARN (the root-path ARN when the role is missing) before it runs, as IAM does. IAM's Query API is an
/// adapter over it; the dashboard calls it directly. Input shapes (lengths, patterns, ranges) are the caller's to check;
/// the trust policy's grammar and size are checked here.
/// </summary>
public sealed class RoleService(IIdentityStore store, IAuthorizer authorizer, TimeProvider time)
{
    /// <summary>IAM's default quota for a role's trust policy (characters, white space not counted).</summary>
    public const int MaxTrustPolicySize = 2048;

    public async Task<IamRole> CreateRoleAsync(
        RequestContext context, string roleName, string? path, string trustPolicy, string? description, int? maxSessionDuration,
        IReadOnlyList<IamTag> tags, string? permissionsBoundary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IamTags.EnsureUniqueKeys(tags);
        var arn = IamArns.Of(context.AccountId, "role", path ?? "/", roleName);
        await authorizer.AuthorizeAsync(context, PermissionsBoundaries.Request("iam:CreateRole", arn, permissionsBoundary), cancellationToken);
        CheckTrustPolicy(trustPolicy);
        if (permissionsBoundary is not null)
        {
            await PermissionsBoundaries.CheckAsync(store, context.AccountId, permissionsBoundary, cancellationToken);
        }

        var role = new IamRole(
            context.AccountId, roleName, IdentityIds.RoleId(), path ?? "/", arn, time.GetUtcNow(), trustPolicy, description, maxSessionDuration ?? 3600,
            PermissionsBoundary: permissionsBoundary);
        await store.CreateRoleAsync(role, tags, cancellationToken);
        return role;
    }

    /// <summary>The role with its tags; NoSuchEntity when missing.</summary>
    public async Task<RoleDetails> GetRoleAsync(RequestContext context, string roleName, CancellationToken cancellationToken)
    {
        var role = await ExistingRoleAsync(context, roleName, "GetRole", cancellationToken);
        return new RoleDetails(role, await store.ListTagsAsync(context.AccountId, IamEntityKind.Role, role.RoleName, cancellationToken));
    }

    /// <summary>The account's roles whose path starts with <paramref name="pathPrefix"/> (all when null).</summary>
    public async Task<IReadOnlyList<IamRole>> ListRolesAsync(RequestContext context, string? pathPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListRoles", IamArns.Of(context.AccountId, "role", "/", string.Empty), cancellationToken);
        return IamArns.UnderPath(await store.ListRolesAsync(context.AccountId, cancellationToken), pathPrefix, r => r.Path);
    }

    /// <summary>UnmodifiableEntity for a service-linked role: DeleteServiceLinkedRole deletes those.</summary>
    public async Task DeleteRoleAsync(RequestContext context, string roleName, CancellationToken cancellationToken)
    {
        await AuthorizeOnRoleAsync(context, roleName, "DeleteRole", cancellationToken);
        await RefuseServiceLinkedAsync(context, roleName, cancellationToken);
        await store.DeleteRoleAsync(context.AccountId, roleName, cancellationToken);
    }

    public async Task UpdateAssumeRolePolicyAsync(RequestContext context, string roleName, string trustPolicy, CancellationToken cancellationToken)
    {
        await AuthorizeOnRoleAsync(context, roleName, "UpdateAssumeRolePolicy", cancellationToken);
        await RefuseServiceLinkedAsync(context, roleName, cancellationToken);
        CheckTrustPolicy(trustPolicy);
        await store.UpdateTrustPolicyAsync(context.AccountId, roleName, trustPolicy, cancellationToken);
    }

    /// <summary>UpdateRole (<paramref name="action"/>) or UpdateRoleDescription: the description and/or the maximum session duration.</summary>
    public async Task<RoleDetails?> UpdateRoleAsync(
        RequestContext context, string roleName, string? description, int? maxSessionDuration, string action, CancellationToken cancellationToken)
    {
        await AuthorizeOnRoleAsync(context, roleName, action, cancellationToken);
        await store.UpdateRoleAsync(context.AccountId, roleName, description, maxSessionDuration, cancellationToken);
        var role = await store.FindRoleAsync(context.AccountId, roleName, cancellationToken);
        return role is null ? null : new RoleDetails(role, await store.ListTagsAsync(context.AccountId, IamEntityKind.Role, role.RoleName, cancellationToken));
    }

    /// <summary>Sets or replaces the role's permissions boundary: an existing managed policy's ARN.</summary>
    public async Task PutRolePermissionsBoundaryAsync(RequestContext context, string roleName, string boundaryArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var role = await store.FindRoleAsync(context.AccountId, roleName, cancellationToken);
        await authorizer.AuthorizeAsync(
            context, PermissionsBoundaries.Request("iam:PutRolePermissionsBoundary", RoleArn(context, roleName, role), boundaryArn), cancellationToken);
        if (role is null)
        {
            throw AwsErrors.NoSuchRole(roleName);
        }

        await PermissionsBoundaries.CheckAsync(store, context.AccountId, boundaryArn, cancellationToken);
        await store.SetPermissionsBoundaryAsync(context.AccountId, IamEntityKind.Role, role.RoleName, boundaryArn, cancellationToken);
    }

    /// <summary>Removes the role's permissions boundary (a role without one is left as it is).</summary>
    public async Task DeleteRolePermissionsBoundaryAsync(RequestContext context, string roleName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var role = await store.FindRoleAsync(context.AccountId, roleName, cancellationToken);
        await authorizer.AuthorizeAsync(
            context, PermissionsBoundaries.Request("iam:DeleteRolePermissionsBoundary", RoleArn(context, roleName, role), role?.PermissionsBoundary), cancellationToken);
        if (role is null)
        {
            throw AwsErrors.NoSuchRole(roleName);
        }

        await store.SetPermissionsBoundaryAsync(context.AccountId, IamEntityKind.Role, role.RoleName, null, cancellationToken);
    }

    /// <summary>Adds or replaces tags (keys ignoring case); at most <see cref="IamTags.MaxPerEntity"/> in all.</summary>
    public async Task TagRoleAsync(RequestContext context, string roleName, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        IamTags.EnsureUniqueKeys(tags);
        await AuthorizeOnRoleAsync(context, roleName, "TagRole", cancellationToken);
        await store.TagAsync(context.AccountId, IamEntityKind.Role, roleName, tags, IamTags.MaxPerEntity, cancellationToken);
    }

    public async Task UntagRoleAsync(RequestContext context, string roleName, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken)
    {
        await AuthorizeOnRoleAsync(context, roleName, "UntagRole", cancellationToken);
        await store.UntagAsync(context.AccountId, IamEntityKind.Role, roleName, tagKeys, cancellationToken);
    }

    public async Task<IReadOnlyList<IamTag>> ListRoleTagsAsync(RequestContext context, string roleName, CancellationToken cancellationToken)
    {
        var role = await ExistingRoleAsync(context, roleName, "ListRoleTags", cancellationToken);
        return await store.ListTagsAsync(context.AccountId, IamEntityKind.Role, role.RoleName, cancellationToken);
    }

    private async Task RefuseServiceLinkedAsync(RequestContext context, string roleName, CancellationToken cancellationToken)
    {
        if (await store.FindRoleAsync(context.AccountId, roleName, cancellationToken) is { } role && ServiceLinkedRoles.IsServiceLinked(role))
        {
            throw AwsErrors.ProtectedRole(role.RoleName);
        }
    }

    /// <summary>A trust policy's grammar (MalformedPolicyDocument) and size (LimitExceeded ACLSizePerRole).</summary>
    public static void CheckTrustPolicy(string document)
    {
        PolicyDocument.Parse(document, PolicyKind.Trust);
        if (PolicySize.Of(document) > MaxTrustPolicySize)
        {
            throw AwsErrors.Quota("ACLSizePerRole", MaxTrustPolicySize);
        }
    }

    /// <summary>The role's ARN, or the root-path one when there is no such role (so a denial names what was asked for).</summary>
    public static string RoleArn(RequestContext context, string roleName, IamRole? role)
    {
        ArgumentNullException.ThrowIfNull(context);
        return role?.Arn ?? IamArns.Of(context.AccountId, "role", "/", roleName);
    }

    /// <summary>Authorizes <paramref name="action"/> on the role, then NoSuchEntity when missing.</summary>
    internal async Task<IamRole> ExistingRoleAsync(RequestContext context, string roleName, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var role = await store.FindRoleAsync(context.AccountId, roleName, cancellationToken);
        await AuthorizeAsync(context, action, RoleArn(context, roleName, role), cancellationToken);
        return role ?? throw AwsErrors.NoSuchRole(roleName);
    }

    internal async Task AuthorizeOnRoleAsync(RequestContext context, string roleName, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, action, RoleArn(context, roleName, await store.FindRoleAsync(context.AccountId, roleName, cancellationToken)), cancellationToken);
    }

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "iam:" + action, resourceArn, cancellationToken);
}
