using Cairn.Core.Identity.Iam;

namespace Cairn.Storage.Identity;

/// <summary>
/// IAM's and STS's state for every account: users, access keys, roles, groups, managed policies and their versions,
/// attachments, inline policies, tags, and role sessions. Writes check IAM's invariants (names unique per account,
/// quotas, delete conflicts) inside their transaction and throw the matching AwsException.
/// </summary>
public interface IIdentityStore
{
    /// <summary>Changes on every committed write: lets readers cache what they derived from the store.</summary>
    long Generation { get; }

    // Users
    Task CreateUserAsync(IamUser user, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken);

    IamUser? FindUser(string accountId, string userName);

    IReadOnlyList<IamUser> ListUsers(string accountId);

    /// <summary>Fails with DeleteConflict while the user has access keys, inline or attached policies.</summary>
    Task DeleteUserAsync(string accountId, string userName, CancellationToken cancellationToken);

    // Access keys
    /// <summary>Fails with LimitExceeded when the user already has <paramref name="maxKeys"/> keys.</summary>
    Task CreateAccessKeyAsync(AccessKeyInfo key, int maxKeys, CancellationToken cancellationToken);

    AccessKeyInfo? FindAccessKey(string accessKeyId);

    IReadOnlyList<AccessKeyInfo> ListAccessKeys(string accountId, string userName);

    Task DeleteAccessKeyAsync(string accountId, string userName, string accessKeyId, CancellationToken cancellationToken);

    Task UpdateAccessKeyAsync(string accountId, string userName, string accessKeyId, string status, CancellationToken cancellationToken);

    Task RecordAccessKeyUseAsync(string accessKeyId, DateTimeOffset when, string service, string region, CancellationToken cancellationToken);

    // Roles
    Task CreateRoleAsync(IamRole role, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken);

    IamRole? FindRole(string accountId, string roleName);

    IReadOnlyList<IamRole> ListRoles(string accountId);

    /// <summary>Fails with DeleteConflict while the role has inline or attached policies.</summary>
    Task DeleteRoleAsync(string accountId, string roleName, CancellationToken cancellationToken);

    /// <summary>Changes description and/or maximum session duration (null leaves a field as it is).</summary>
    /// <summary>Renames a user and/or moves it to another path; keys, groups, policies and tags follow it.</summary>
    Task UpdateUserAsync(string accountId, string userName, string? newUserName, string? newPath, string newArn, CancellationToken cancellationToken);

    Task UpdateRoleAsync(string accountId, string roleName, string? description, int? maxSessionDuration, CancellationToken cancellationToken);

    Task UpdateTrustPolicyAsync(string accountId, string roleName, string document, CancellationToken cancellationToken);

    Task RecordRoleUseAsync(string accountId, string roleName, DateTimeOffset when, string region, CancellationToken cancellationToken);

    // Groups
    Task CreateGroupAsync(IamGroup group, CancellationToken cancellationToken);

    IamGroup? FindGroup(string accountId, string groupName);

    IReadOnlyList<IamGroup> ListGroups(string accountId);

    Task DeleteGroupAsync(string accountId, string groupName, CancellationToken cancellationToken);

    Task AddUserToGroupAsync(string accountId, string groupName, string userName, CancellationToken cancellationToken);

    Task RemoveUserFromGroupAsync(string accountId, string groupName, string userName, CancellationToken cancellationToken);

    IReadOnlyList<IamUser> ListGroupMembers(string accountId, string groupName);

    IReadOnlyList<IamGroup> ListGroupsForUser(string accountId, string userName);

    // Customer managed policies
    Task CreatePolicyAsync(ManagedPolicyInfo policy, string document, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken);

    ManagedPolicyInfo? FindPolicy(string policyArn);

    IReadOnlyList<ManagedPolicyInfo> ListPolicies(string accountId);

    /// <summary>Fails with DeleteConflict while the policy is attached or has versions besides the default.</summary>
    Task DeletePolicyAsync(string policyArn, CancellationToken cancellationToken);

    /// <summary>Adds the next version (v2, v3, ...); fails with LimitExceeded beyond <paramref name="maxVersions"/>.</summary>
    Task<PolicyVersionInfo> CreatePolicyVersionAsync(string policyArn, string document, bool setAsDefault, int maxVersions, DateTimeOffset now, CancellationToken cancellationToken);

    PolicyVersionInfo? FindPolicyVersion(string policyArn, string versionId);

    IReadOnlyList<PolicyVersionInfo> ListPolicyVersions(string policyArn);

    Task DeletePolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken);

    Task SetDefaultPolicyVersionAsync(string policyArn, string versionId, DateTimeOffset now, CancellationToken cancellationToken);

    // Attachments of managed policies (customer or AWS managed) to users, roles and groups
    /// <summary>Attaching twice is a no-op; fails with LimitExceeded beyond <paramref name="maxAttached"/> policies on the entity.</summary>
    Task AttachPolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyArn, int maxAttached, CancellationToken cancellationToken);

    Task DetachPolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyArn, CancellationToken cancellationToken);

    /// <summary>ARNs of the managed policies attached to the entity, in attachment order.</summary>
    IReadOnlyList<string> ListAttachedPolicies(string accountId, IamEntityKind kind, string entityName);

    /// <summary>Users, groups and roles of the account a managed policy is attached to.</summary>
    IReadOnlyList<(IamEntityKind Kind, string EntityName)> ListEntitiesForPolicy(string accountId, string policyArn);

    // Inline policies
    /// <summary>Creates or replaces; fails with LimitExceeded when the entity's inline policies would exceed <paramref name="maxTotalSize"/> (whitespace not counted).</summary>
    Task PutInlinePolicyAsync(string accountId, InlinePolicy policy, int maxTotalSize, CancellationToken cancellationToken);

    InlinePolicy? FindInlinePolicy(string accountId, IamEntityKind kind, string entityName, string policyName);

    IReadOnlyList<InlinePolicy> ListInlinePolicies(string accountId, IamEntityKind kind, string entityName);

    Task DeleteInlinePolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyName, CancellationToken cancellationToken);

    // Tags (users, roles, customer managed policies: entityName is the policy ARN)
    /// <summary>Adds or overwrites tags (keys compared case-insensitively); fails with LimitExceeded beyond <paramref name="maxTags"/>.</summary>
    Task TagAsync(string accountId, IamEntityKind kind, string entityName, IReadOnlyList<IamTag> tags, int maxTags, CancellationToken cancellationToken);

    Task UntagAsync(string accountId, IamEntityKind kind, string entityName, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    IReadOnlyList<IamTag> ListTags(string accountId, IamEntityKind kind, string entityName);

    // STS sessions
    Task CreateSessionAsync(RoleSession session, CancellationToken cancellationToken);

    RoleSession? FindSession(string accessKeyId);

    /// <summary>Removes sessions that expired before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
