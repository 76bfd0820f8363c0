namespace Cairn.Storage.Builds;

/// <summary>
/// A registered build agent (`cairn agent`): its id, the account it builds for, the labels it offers and the SHA-256 of
/// its secret (the secret itself is never stored). A revoked agent can neither claim nor report.
/// </summary>
public sealed record BuildAgent(
    string Id, string AccountId, string Name, IReadOnlyList<string> Labels, string SecretHash, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}
