namespace Cairn.Core.Connections;

/// <summary>
/// A connection (CodeConnections' and CodeStar connections' Connection): a name for a git provider account, or for a
/// repository server through a host. <see cref="Arn"/> keeps the service it was made through (codestar-connections or
/// codeconnections); both APIs read both kinds, as AWS's do.
/// </summary>
public sealed record ConnectionRecord(
    string Arn,
    string Name,
    string AccountId,
    string Region,
    string? ProviderType,
    string? HostArn,
    string Status,
    DateTimeOffset Created,
    IReadOnlyList<ConnectionTag> Tags);

/// <summary>A host: a self-managed provider's endpoint (GitHub Enterprise Server, GitLab self-managed), or in Cairn a directory of bare repositories.</summary>
public sealed record HostRecord(
    string Arn,
    string Name,
    string AccountId,
    string Region,
    string ProviderType,
    string ProviderEndpoint,
    string Status,
    DateTimeOffset Created,
    IReadOnlyList<ConnectionTag> Tags);

public sealed record ConnectionTag(string Key, string Value);
