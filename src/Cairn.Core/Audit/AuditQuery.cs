namespace Cairn.Core.Audit;

/// <summary>Filters for reading the audit log; null means any. Newest entries first.</summary>
/// <param name="PrincipalContains">Entries whose principal ARN contains this; a value that starts with <c>arn:</c> matches ARNs that begin with it (<see cref="AuditPrincipalRange"/>), which a store reads from an index.</param>
/// <param name="Since">Entries at or after this time.</param>
/// <param name="Until">Entries before this time.</param>
/// <param name="Skip">How many of the matching entries (newest first) to pass over: the dashboard's pages.</param>
/// <param name="AccountId">Entries whose principal is of this account (its ARN's account field).</param>
public sealed record AuditQuery(
    string? PrincipalContains = null,
    string? ActionPrefix = null,
    string? Decision = null,
    DateTimeOffset? Since = null,
    int Limit = 100,
    DateTimeOffset? Until = null,
    int Skip = 0,
    string? AccountId = null);
