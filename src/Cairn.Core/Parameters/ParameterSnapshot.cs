namespace Cairn.Core.Parameters;

/// <summary>A parameter as stored: its key, the name it was created with, one of its versions and when it expires.</summary>
/// <param name="Name">The name as first created (<c>foo</c> or <c>/foo</c>); listings report it.</param>
/// <param name="ExpiresAt">From an Expiration policy; at or after this time the parameter behaves as deleted.</param>
public sealed record ParameterSnapshot(string Key, string Name, long LatestVersion, DateTimeOffset? ExpiresAt, ParameterVersion Version)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;
}
