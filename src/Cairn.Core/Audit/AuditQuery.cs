namespace Cairn.Core.Audit;

/// <summary>Filters for reading the audit log; null means any. Newest entries first.</summary>
public sealed record AuditQuery(
    string? PrincipalContains = null,
    string? ActionPrefix = null,
    string? Decision = null,
    DateTimeOffset? Since = null,
    int Limit = 100);
