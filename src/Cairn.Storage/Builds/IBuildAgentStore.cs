namespace Cairn.Storage.Builds;

/// <summary>
/// Build agents and the one-time registration tokens that enrol them. Only SHA-256 hashes of tokens and agent secrets
/// are stored; redeeming a token and storing the agent happen in one transaction, so a token enrols one agent at most.
/// </summary>
public interface IBuildAgentStore
{
    Task AddRegistrationTokenAsync(string accountId, string tokenHash, string createdBy, DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Consumes the token with <paramref name="tokenHash"/> and stores <paramref name="agent"/> in the token's account;
    /// null when no unused, unexpired token has that hash.
    /// </summary>
    Task<BuildAgent?> RegisterAsync(string tokenHash, Func<string, BuildAgent> agent, DateTimeOffset now, CancellationToken cancellationToken);

    Task<BuildAgent?> FindAgentAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<BuildAgent>> ListAgentsAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>False when the account has no such agent.</summary>
    Task<bool> RevokeAgentAsync(string accountId, string id, DateTimeOffset now, CancellationToken cancellationToken);
}
