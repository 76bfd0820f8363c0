using Cairn.Core.Identity.Iam;

namespace Cairn.Storage.Identity;

/// <summary>
/// IAM's and STS's state for every account: users, access keys, roles, groups, managed policies and their versions,
/// attachments, inline policies, tags, and role sessions. Writes check IAM's invariants (names unique per account,
/// quotas, delete conflicts) inside their transaction and throw the matching AwsException. Names are compared without
/// regard to case. Lists of users, roles, groups, policies and inline policies are ordered by name. Committed writes
/// move the store's <c>IChangeFeed&lt;IIdentityStore&gt;</c> (how soon is the backend's promise), which caches over it watch.
/// </summary>
public interface IIdentityStore
{
    // Users
    Task CreateUserAsync(IamUser user, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken);

    Task<IamUser?> FindUserAsync(string accountId, string userName, CancellationToken cancellationToken);

    Task<IReadOnlyList<IamUser>> ListUsersAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Fails with DeleteConflict while the user has a login profile, access keys, inline or attached policies.</summary>
    Task DeleteUserAsync(string accountId, string userName, CancellationToken cancellationToken);

    // Access keys
    /// <summary>Fails with LimitExceeded when the user already has <paramref name="maxKeys"/> keys.</summary>
    Task CreateAccessKeyAsync(AccessKeyInfo key, int maxKeys, CancellationToken cancellationToken);

    Task<AccessKeyInfo?> FindAccessKeyAsync(string accessKeyId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AccessKeyInfo>> ListAccessKeysAsync(string accountId, string userName, CancellationToken cancellationToken);

    Task DeleteAccessKeyAsync(string accountId, string userName, string accessKeyId, CancellationToken cancellationToken);

    Task UpdateAccessKeyAsync(string accountId, string userName, string accessKeyId, string status, CancellationToken cancellationToken);

    // Roles
    Task CreateRoleAsync(IamRole role, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken);

    Task<IamRole?> FindRoleAsync(string accountId, string roleName, CancellationToken cancellationToken);

    Task<IReadOnlyList<IamRole>> ListRolesAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Fails with DeleteConflict while the role has inline or attached policies or is in an instance profile.</summary>
    Task DeleteRoleAsync(string accountId, string roleName, CancellationToken cancellationToken);

    /// <summary>Renames a user and/or moves it to another path; keys, groups, policies and tags follow it.</summary>
    Task UpdateUserAsync(string accountId, string userName, string? newUserName, string? newPath, string newArn, CancellationToken cancellationToken);

    /// <summary>Changes description and/or maximum session duration (null leaves a field as it is).</summary>
    Task UpdateRoleAsync(string accountId, string roleName, string? description, int? maxSessionDuration, CancellationToken cancellationToken);

    Task UpdateTrustPolicyAsync(string accountId, string roleName, string document, CancellationToken cancellationToken);

    Task RecordRoleUseAsync(string accountId, string roleName, DateTimeOffset when, string region, CancellationToken cancellationToken);

    /// <summary>
    /// Sets (or with null removes) the managed policy ARN that bounds a user's or a role's permissions; fails with NoSuchEntity
    /// when the entity does not exist. The policy's existence is the caller's to check.
    /// </summary>
    Task SetPermissionsBoundaryAsync(string accountId, IamEntityKind kind, string entityName, string? policyArn, CancellationToken cancellationToken);

    // Groups
    Task CreateGroupAsync(IamGroup group, CancellationToken cancellationToken);

    Task<IamGroup?> FindGroupAsync(string accountId, string groupName, CancellationToken cancellationToken);

    Task<IReadOnlyList<IamGroup>> ListGroupsAsync(string accountId, CancellationToken cancellationToken);

    Task DeleteGroupAsync(string accountId, string groupName, CancellationToken cancellationToken);

    /// <summary>Renames and/or moves a group; its members, policies and tags follow it. NoSuchEntity / EntityAlreadyExists.</summary>
    Task UpdateGroupAsync(string accountId, string groupName, string? newGroupName, string? newPath, string newArn, CancellationToken cancellationToken);

    Task AddUserToGroupAsync(string accountId, string groupName, string userName, CancellationToken cancellationToken);

    Task RemoveUserFromGroupAsync(string accountId, string groupName, string userName, CancellationToken cancellationToken);

    Task<IReadOnlyList<IamUser>> ListGroupMembersAsync(string accountId, string groupName, CancellationToken cancellationToken);

    Task<IReadOnlyList<IamGroup>> ListGroupsForUserAsync(string accountId, string userName, CancellationToken cancellationToken);

    // Customer managed policies
    Task CreatePolicyAsync(ManagedPolicyInfo policy, string document, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken);

    Task<ManagedPolicyInfo?> FindPolicyAsync(string policyArn, CancellationToken cancellationToken);

    Task<IReadOnlyList<ManagedPolicyInfo>> ListPoliciesAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Fails with DeleteConflict while the policy is attached, is a user's or role's permissions boundary, or has versions besides the default.</summary>
    Task DeletePolicyAsync(string policyArn, CancellationToken cancellationToken);

    /// <summary>Adds the next version (v2, v3, ...); fails with LimitExceeded beyond <paramref name="maxVersions"/>.</summary>
    Task<PolicyVersionInfo> CreatePolicyVersionAsync(string policyArn, string document, bool setAsDefault, int maxVersions, DateTimeOffset now, CancellationToken cancellationToken);

    Task<PolicyVersionInfo?> FindPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<PolicyVersionInfo>> ListPolicyVersionsAsync(string policyArn, CancellationToken cancellationToken);

    Task DeletePolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken);

    Task SetDefaultPolicyVersionAsync(string policyArn, string versionId, DateTimeOffset now, CancellationToken cancellationToken);

    // Attachments of managed policies (customer or AWS managed) to users, roles and groups
    /// <summary>Attaching twice is a no-op; fails with LimitExceeded beyond <paramref name="maxAttached"/> policies on the entity.</summary>
    Task AttachPolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyArn, int maxAttached, CancellationToken cancellationToken);

    Task DetachPolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyArn, CancellationToken cancellationToken);

    /// <summary>ARNs of the managed policies attached to the entity, in attachment order.</summary>
    Task<IReadOnlyList<string>> ListAttachedPoliciesAsync(string accountId, IamEntityKind kind, string entityName, CancellationToken cancellationToken);

    /// <summary>Users, groups and roles of the account a managed policy is attached to.</summary>
    Task<IReadOnlyList<(IamEntityKind Kind, string EntityName)>> ListEntitiesForPolicyAsync(string accountId, string policyArn, CancellationToken cancellationToken);

    // Inline policies
    /// <summary>Creates or replaces; fails with LimitExceeded when the entity's inline policies would exceed <paramref name="maxTotalSize"/> (whitespace not counted).</summary>
    Task PutInlinePolicyAsync(string accountId, InlinePolicy policy, int maxTotalSize, CancellationToken cancellationToken);

    Task<InlinePolicy?> FindInlinePolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyName, CancellationToken cancellationToken);

    Task<IReadOnlyList<InlinePolicy>> ListInlinePoliciesAsync(string accountId, IamEntityKind kind, string entityName, CancellationToken cancellationToken);

    Task DeleteInlinePolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyName, CancellationToken cancellationToken);

    // Tags (users, roles, customer managed policies: entityName is the policy ARN)
    /// <summary>Adds or overwrites tags (keys compared case-insensitively); fails with LimitExceeded beyond <paramref name="maxTags"/>.</summary>
    Task TagAsync(string accountId, IamEntityKind kind, string entityName, IReadOnlyList<IamTag> tags, int maxTags, CancellationToken cancellationToken);

    Task UntagAsync(string accountId, IamEntityKind kind, string entityName, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>In the order the keys were first added.</summary>
    Task<IReadOnlyList<IamTag>> ListTagsAsync(string accountId, IamEntityKind kind, string entityName, CancellationToken cancellationToken);

    // Login profiles: console passwords, as hashes made by the caller (the store never sees a password)
    /// <summary>Fails with NoSuchEntity when the user does not exist, EntityAlreadyExists when it already has a login profile.</summary>
    Task CreateLoginProfileAsync(LoginProfile profile, CancellationToken cancellationToken);

    Task<LoginProfile?> FindLoginProfileAsync(string accountId, string userName, CancellationToken cancellationToken);

    /// <summary>
    /// Sets a new password hash (when not null: the replaced hash joins the user's password history, of which the newest
    /// <paramref name="historyKept"/> are kept, and the password's change time becomes <paramref name="now"/>) and/or the
    /// reset flag (when not null). Fails with NoSuchEntity when the user has no login profile.
    /// </summary>
    Task UpdateLoginProfileAsync(string accountId, string userName, string? passwordHash, bool? passwordResetRequired, int historyKept, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Fails with NoSuchEntity when the user has no login profile.</summary>
    Task DeleteLoginProfileAsync(string accountId, string userName, CancellationToken cancellationToken);

    /// <summary>The hashes of the user's replaced passwords, newest first, at most <paramref name="count"/>.</summary>
    Task<IReadOnlyList<string>> ListPasswordHistoryAsync(string accountId, string userName, int count, CancellationToken cancellationToken);

    // Account settings: the password policy and the account alias (one per account, unique across accounts)
    Task<PasswordPolicy?> FindPasswordPolicyAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the account's password policy.</summary>
    Task PutPasswordPolicyAsync(string accountId, PasswordPolicy policy, CancellationToken cancellationToken);

    /// <summary>Fails with NoSuchEntity when the account has no password policy.</summary>
    Task DeletePasswordPolicyAsync(string accountId, CancellationToken cancellationToken);

    Task<string?> FindAccountAliasAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>The account whose alias is <paramref name="alias"/>, or null.</summary>
    Task<string?> FindAccountByAliasAsync(string alias, CancellationToken cancellationToken);

    /// <summary>Sets the account's alias, replacing the one it had; fails with EntityAlreadyExists when another account has it.</summary>
    Task SetAccountAliasAsync(string accountId, string alias, CancellationToken cancellationToken);

    /// <summary>Fails with NoSuchEntity unless <paramref name="alias"/> is the account's alias.</summary>
    Task DeleteAccountAliasAsync(string accountId, string alias, CancellationToken cancellationToken);

    // OpenID Connect providers (by ARN; tags through the tag methods with IamEntityKind.OpenIdConnectProvider and the ARN)
    /// <summary>Fails with EntityAlreadyExists when the ARN exists, LimitExceeded when the account has <paramref name="maxProviders"/> already.</summary>
    Task CreateOpenIdConnectProviderAsync(OidcProvider provider, IReadOnlyList<IamTag> tags, int maxProviders, CancellationToken cancellationToken);

    Task<OidcProvider?> FindOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken);

    /// <summary>Ordered by ARN.</summary>
    Task<IReadOnlyList<OidcProvider>> ListOpenIdConnectProvidersAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the provider's client ids and thumbprints with what <paramref name="change"/> makes of the stored provider,
    /// inside the write (so concurrent Add/RemoveClientID calls do not lose each other); NoSuchEntity when missing.
    /// </summary>
    Task UpdateOpenIdConnectProviderAsync(string arn, Func<OidcProvider, OidcProvider> change, CancellationToken cancellationToken);

    /// <summary>Removes the provider and its tags; NoSuchEntity when missing.</summary>
    Task DeleteOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken);

    // Instance profiles (names unique per account, ignoring case; tags through the tag methods with IamEntityKind.InstanceProfile)
    /// <summary>Fails with EntityAlreadyExists when the name is taken.</summary>
    Task CreateInstanceProfileAsync(InstanceProfile profile, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken);

    Task<InstanceProfile?> FindInstanceProfileAsync(string accountId, string name, CancellationToken cancellationToken);

    /// <summary>Ordered by name, each with its roles.</summary>
    Task<IReadOnlyList<InstanceProfile>> ListInstanceProfilesAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>The profiles that hold the role, ordered by name.</summary>
    Task<IReadOnlyList<InstanceProfile>> ListInstanceProfilesForRoleAsync(string accountId, string roleName, CancellationToken cancellationToken);

    /// <summary>Fails with NoSuchEntity when missing, DeleteConflict while it holds a role; its tags go with it.</summary>
    Task DeleteInstanceProfileAsync(string accountId, string name, CancellationToken cancellationToken);

    /// <summary>NoSuchEntity for a missing profile or role; LimitExceeded when the profile already holds a role (IAM's quota is one).</summary>
    Task AddRoleToInstanceProfileAsync(string accountId, string profileName, string roleName, CancellationToken cancellationToken);

    /// <summary>NoSuchEntity for a missing profile or role, or a role the profile does not hold.</summary>
    Task RemoveRoleFromInstanceProfileAsync(string accountId, string profileName, string roleName, CancellationToken cancellationToken);

    // Credential reports: the account's last one, replaced by the next
    Task<CredentialReport?> FindCredentialReportAsync(string accountId, CancellationToken cancellationToken);

    Task PutCredentialReportAsync(CredentialReport report, CancellationToken cancellationToken);

    // STS sessions
    Task CreateSessionAsync(RoleSession session, CancellationToken cancellationToken);

    Task<RoleSession?> FindSessionAsync(string accessKeyId, CancellationToken cancellationToken);

    /// <summary>Removes sessions that expired before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
