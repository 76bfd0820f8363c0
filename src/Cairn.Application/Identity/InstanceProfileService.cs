using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// IAM instance profiles as an application service: each call authorized as <c>iam:&lt;Action&gt;</c> on the profile's ARN
/// (the root-path ARN when it is missing) before it runs. AddRoleToInstanceProfile also needs iam:PassRole on the role
/// for ec2.amazonaws.com, as AWS documents. Input shapes are the caller's to check.
/// </summary>
public sealed class InstanceProfileService(IIdentityStore store, IAuthorizer authorizer, TimeProvider time)
{
    public async Task<InstanceProfileDetails> CreateAsync(
        RequestContext context, string name, string? path, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IamTags.EnsureUniqueKeys(tags);
        var arn = IamArns.Of(context.AccountId, "instance-profile", path ?? "/", name);
        await AuthorizeAsync(context, "CreateInstanceProfile", arn, cancellationToken);
        var profile = new InstanceProfile(context.AccountId, name, IdentityIds.InstanceProfileId(), path ?? "/", arn, time.GetUtcNow(), []);
        await store.CreateInstanceProfileAsync(profile, tags, cancellationToken);
        return new InstanceProfileDetails(profile, [], tags);
    }

    /// <summary>The profile with its roles and tags; NoSuchEntity when missing.</summary>
    public async Task<InstanceProfileDetails> GetAsync(RequestContext context, string name, CancellationToken cancellationToken)
    {
        var profile = await ExistingAsync(context, name, "GetInstanceProfile", cancellationToken);
        return await DetailsAsync(profile, withTags: true, cancellationToken);
    }

    /// <summary>The account's profiles whose path starts with <paramref name="pathPrefix"/>, with their roles.</summary>
    public async Task<IReadOnlyList<InstanceProfileDetails>> ListAsync(RequestContext context, string? pathPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListInstanceProfiles", IamArns.Of(context.AccountId, "instance-profile", "/", string.Empty), cancellationToken);
        var profiles = IamArns.UnderPath(await store.ListInstanceProfilesAsync(context.AccountId, cancellationToken), pathPrefix, p => p.Path);
        return await DetailsAsync(profiles, cancellationToken);
    }

    /// <summary>The profiles holding the role; NoSuchEntity when the role is missing.</summary>
    public async Task<IReadOnlyList<InstanceProfileDetails>> ListForRoleAsync(RequestContext context, string roleName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var role = await store.FindRoleAsync(context.AccountId, roleName, cancellationToken);
        await AuthorizeAsync(context, "ListInstanceProfilesForRole", RoleService.RoleArn(context, roleName, role), cancellationToken);
        _ = role ?? throw AwsErrors.NoSuchRole(roleName);
        return await DetailsAsync(await store.ListInstanceProfilesForRoleAsync(context.AccountId, roleName, cancellationToken), cancellationToken);
    }

    /// <summary>DeleteConflict while the profile holds a role.</summary>
    public async Task DeleteAsync(RequestContext context, string name, CancellationToken cancellationToken)
    {
        await AuthorizeOnAsync(context, name, "DeleteInstanceProfile", cancellationToken);
        await store.DeleteInstanceProfileAsync(context.AccountId, name, cancellationToken);
    }

    /// <summary>A profile holds one role (LimitExceeded beyond); the caller must be allowed to pass the role to EC2.</summary>
    public async Task AddRoleAsync(RequestContext context, string name, string roleName, CancellationToken cancellationToken)
    {
        var profileArn = await AuthorizeOnAsync(context, name, "AddRoleToInstanceProfile", cancellationToken);
        var role = await store.FindRoleAsync(context.AccountId, roleName, cancellationToken);
        await authorizer.AuthorizePassRoleAsync(context, RoleService.RoleArn(context, roleName, role), "ec2.amazonaws.com", profileArn, cancellationToken);
        await store.AddRoleToInstanceProfileAsync(context.AccountId, name, roleName, cancellationToken);
    }

    public async Task RemoveRoleAsync(RequestContext context, string name, string roleName, CancellationToken cancellationToken)
    {
        await AuthorizeOnAsync(context, name, "RemoveRoleFromInstanceProfile", cancellationToken);
        await store.RemoveRoleFromInstanceProfileAsync(context.AccountId, name, roleName, cancellationToken);
    }

    public async Task TagAsync(RequestContext context, string name, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        IamTags.EnsureUniqueKeys(tags);
        await AuthorizeOnAsync(context, name, "TagInstanceProfile", cancellationToken);
        await store.TagAsync(context.AccountId, IamEntityKind.InstanceProfile, name, tags, IamTags.MaxPerEntity, cancellationToken);
    }

    public async Task UntagAsync(RequestContext context, string name, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken)
    {
        await AuthorizeOnAsync(context, name, "UntagInstanceProfile", cancellationToken);
        await store.UntagAsync(context.AccountId, IamEntityKind.InstanceProfile, name, tagKeys, cancellationToken);
    }

    public async Task<IReadOnlyList<IamTag>> ListTagsAsync(RequestContext context, string name, CancellationToken cancellationToken)
    {
        var profile = await ExistingAsync(context, name, "ListInstanceProfileTags", cancellationToken);
        return await store.ListTagsAsync(context.AccountId, IamEntityKind.InstanceProfile, profile.InstanceProfileName, cancellationToken);
    }

    private async Task<IReadOnlyList<InstanceProfileDetails>> DetailsAsync(IReadOnlyList<InstanceProfile> profiles, CancellationToken cancellationToken)
    {
        var result = new List<InstanceProfileDetails>(profiles.Count);
        foreach (var profile in profiles)
        {
            result.Add(await DetailsAsync(profile, withTags: false, cancellationToken));
        }

        return result;
    }

    private async Task<InstanceProfileDetails> DetailsAsync(InstanceProfile profile, bool withTags, CancellationToken cancellationToken)
    {
        var roles = new List<IamRole>();
        foreach (var roleName in profile.RoleNames)
        {
            if (await store.FindRoleAsync(profile.AccountId, roleName, cancellationToken) is { } role)
            {
                roles.Add(role);
            }
        }

        var tags = withTags ? await store.ListTagsAsync(profile.AccountId, IamEntityKind.InstanceProfile, profile.InstanceProfileName, cancellationToken) : [];
        return new InstanceProfileDetails(profile, roles, tags);
    }

    private async Task<InstanceProfile> ExistingAsync(RequestContext context, string name, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var profile = await store.FindInstanceProfileAsync(context.AccountId, name, cancellationToken);
        await AuthorizeAsync(context, action, profile?.Arn ?? IamArns.Of(context.AccountId, "instance-profile", "/", name), cancellationToken);
        return profile ?? throw AwsErrors.NoSuchInstanceProfile(name);
    }

    /// <summary>Authorizes on the profile's ARN (root path when missing) and returns it.</summary>
    private async Task<string> AuthorizeOnAsync(RequestContext context, string name, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var profile = await store.FindInstanceProfileAsync(context.AccountId, name, cancellationToken);
        var arn = profile?.Arn ?? IamArns.Of(context.AccountId, "instance-profile", "/", name);
        await AuthorizeAsync(context, action, arn, cancellationToken);
        return arn;
    }

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "iam:" + action, resourceArn, cancellationToken);
}

/// <summary>An instance profile with its roles (and, from GetInstanceProfile and CreateInstanceProfile, its tags).</summary>
public sealed record InstanceProfileDetails(InstanceProfile Profile, IReadOnlyList<IamRole> Roles, IReadOnlyList<IamTag> Tags);
