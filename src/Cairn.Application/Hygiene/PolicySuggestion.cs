namespace Cairn.Application.Hygiene;

/// <summary>Whose audited calls make the suggestion: exactly one of a role (its sessions count as the role) or a user.</summary>
/// <param name="Since">A duration back from now (30d, 12h) or an ISO 8601 time; null means 30 days.</param>
public sealed record PolicySuggestionRequest(string? RoleName, string? UserName, string? Since = null);

/// <summary>One action on one resource the principal was allowed in the window, how often and when last.</summary>
public sealed record UsedCall(string Action, string Resource, int Count, DateTimeOffset LastUsed);

/// <summary>
/// A policy in force for the principal: what it grants (action patterns, resource patterns) and which audited calls it
/// allowed. <paramref name="Arn"/> is the managed policy's ARN, null for an inline policy.
/// </summary>
/// <param name="SourceType">aws-managed, user-managed, or role/user/group for an inline policy of that entity.</param>
public sealed record CurrentPolicy(
    string Name, string SourceType, string? Arn, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, IReadOnlyList<UsedCall> Allowed);

/// <summary>The dry-run of one audited call under the suggested policy: allowed, implicitDeny or explicitDeny.</summary>
public sealed record SuggestionCheck(string Action, string Resource, string Decision);

/// <summary>
/// `cairn iam suggest-policy`: what the principal used, the least-privilege policy that allows exactly that (null when it
/// used nothing in the window), what it has now, the commands that swap them and the dry-run of every audited call.
/// </summary>
public sealed record PolicySuggestion(
    string PrincipalArn,
    string Kind,
    string Name,
    DateTimeOffset Since,
    DateTimeOffset Until,
    int AuditEntries,
    IReadOnlyList<UsedCall> Used,
    string PolicyName,
    string? PolicyDocument,
    IReadOnlyList<CurrentPolicy> Current,
    IReadOnlyList<string> Commands,
    IReadOnlyList<SuggestionCheck> Checks)
{
    /// <summary>The audited calls the suggested policy would not allow (empty when the suggestion is complete).</summary>
    public IReadOnlyList<SuggestionCheck> NotAllowed => [.. Checks.Where(c => c.Decision != "allowed")];
}
