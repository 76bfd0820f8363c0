using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// The account's password policy and its alias (the name the console's sign-in takes instead of the account id). These
/// actions have no resource type in IAM, so each is authorized as <c>iam:&lt;Action&gt;</c> on <c>*</c>, as on AWS.
/// Input shapes (the alias pattern, the policy's ranges) are the caller's to check.
/// </summary>
public sealed class AccountSettingsService(IIdentityStore store, IAuthorizer authorizer)
{
    public async Task UpdatePasswordPolicyAsync(RequestContext context, PasswordPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        await AuthorizeAsync(context, "UpdateAccountPasswordPolicy", cancellationToken);
        await store.PutPasswordPolicyAsync(context.AccountId, policy, cancellationToken);
    }

    public async Task<PasswordPolicy> GetPasswordPolicyAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "GetAccountPasswordPolicy", cancellationToken);
        return await store.FindPasswordPolicyAsync(context.AccountId, cancellationToken) ?? throw AwsErrors.NoSuchPasswordPolicy(context.AccountId);
    }

    public async Task DeletePasswordPolicyAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "DeleteAccountPasswordPolicy", cancellationToken);
        await store.DeletePasswordPolicyAsync(context.AccountId, cancellationToken);
    }

    /// <summary>Sets the account's one alias (replacing any it had); an alias another account holds is EntityAlreadyExists.</summary>
    public async Task CreateAccountAliasAsync(RequestContext context, string alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(alias);
        if (alias.Length == 12 && alias.All(char.IsAsciiDigit))
        {
            throw AwsErrors.AccountAliasLooksLikeAccountId(alias);
        }

        await AuthorizeAsync(context, "CreateAccountAlias", cancellationToken);
        await store.SetAccountAliasAsync(context.AccountId, alias, cancellationToken);
    }

    /// <summary>The account's alias: none or one.</summary>
    public async Task<IReadOnlyList<string>> ListAccountAliasesAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListAccountAliases", cancellationToken);
        return await store.FindAccountAliasAsync(context.AccountId, cancellationToken) is { } alias ? [alias] : [];
    }

    public async Task DeleteAccountAliasAsync(RequestContext context, string alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "DeleteAccountAlias", cancellationToken);
        await store.DeleteAccountAliasAsync(context.AccountId, alias, cancellationToken);
    }

    /// <summary>
    /// GetAccountSummary's SummaryMap: the account's entity counts, and the quotas Cairn enforces (AWS's defaults for
    /// those it does not). No MFA devices, server or signing certificates, instance profiles or OIDC providers exist here.
    /// </summary>
    public async Task<IReadOnlyList<KeyValuePair<string, int>>> GetAccountSummaryAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "GetAccountSummary", cancellationToken);
        var account = context.AccountId;
        var users = await store.ListUsersAsync(account, cancellationToken);
        var roles = await store.ListRolesAsync(account, cancellationToken);
        var groups = await store.ListGroupsAsync(account, cancellationToken);
        var policies = await store.ListPoliciesAsync(account, cancellationToken);
        var instanceProfiles = await store.ListInstanceProfilesAsync(account, cancellationToken);
        // IAM's Providers counts the account's identity providers: OpenID Connect ones (Cairn has no SAML providers).
        var providers = await store.ListOpenIdConnectProvidersAsync(account, cancellationToken);
        var attachments = 0;
        foreach (var (kind, names) in new[]
        {
            (IamEntityKind.User, users.Select(u => u.UserName)),
            (IamEntityKind.Role, roles.Select(r => r.RoleName)),
            (IamEntityKind.Group, groups.Select(g => g.GroupName)),
        })
        {
            foreach (var name in names)
            {
                attachments += (await store.ListAttachedPoliciesAsync(account, kind, name, cancellationToken)).Count;
            }
        }

        return
        [
            new("Users", users.Count), new("UsersQuota", 5000),
            new("Groups", groups.Count), new("GroupsQuota", 300),
            new("Roles", roles.Count), new("RolesQuota", 1000),
            new("Policies", policies.Count), new("PoliciesQuota", 1500),
            new("PolicyVersionsInUse", attachments), new("PolicyVersionsInUseQuota", 10000),
            new("VersionsPerPolicyQuota", ManagedPolicyService.MaxPolicyVersions),
            new("PolicySizeQuota", ManagedPolicyService.MaxManagedPolicySize),
            new("UserPolicySizeQuota", PolicyAttachmentService.InlineLimit(IamEntityKind.User)),
            new("GroupPolicySizeQuota", PolicyAttachmentService.InlineLimit(IamEntityKind.Group)),
            new("RolePolicySizeQuota", PolicyAttachmentService.InlineLimit(IamEntityKind.Role)),
            new("AssumeRolePolicySizeQuota", RoleService.MaxTrustPolicySize),
            new("AttachedPoliciesPerUserQuota", PolicyAttachmentService.MaxAttachedPolicies),
            new("AttachedPoliciesPerGroupQuota", PolicyAttachmentService.MaxAttachedPolicies),
            new("AttachedPoliciesPerRoleQuota", PolicyAttachmentService.MaxAttachedPolicies),
            new("AccessKeysPerUserQuota", AccessKeyService.MaxAccessKeysPerUser),
            new("GroupsPerUserQuota", 10), new("SigningCertificatesPerUserQuota", 2),
            new("InstanceProfiles", instanceProfiles.Count), new("InstanceProfilesQuota", 1000),
            new("ServerCertificates", 0), new("ServerCertificatesQuota", 20),
            new("Providers", providers.Count), new("MFADevices", 0), new("MFADevicesInUse", 0), new("AccountMFAEnabled", 0),
            new("AccountAccessKeysPresent", 1), new("AccountPasswordPresent", 0), new("AccountSigningCertificatesPresent", 0),
            new("GlobalEndpointTokenVersion", 1),
        ];
    }

    private ValueTask AuthorizeAsync(RequestContext context, string action, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "iam:" + action, "*", cancellationToken);
}
