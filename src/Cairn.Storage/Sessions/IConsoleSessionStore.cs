namespace Cairn.Storage.Sessions;

/// <summary>
/// Where the dashboard keeps its sessions, by the SHA-256 of their token: what is stored cannot be used as a cookie, so a
/// copy of the database signs no one in. Sessions outlive a restart and end at sign-out everywhere the store is shared.
/// </summary>
public interface IConsoleSessionStore
{
    Task CreateAsync(ConsoleSession session, CancellationToken cancellationToken);

    /// <summary>The session with that token hash, or null when there is none (expired ones are returned: the caller decides).</summary>
    Task<ConsoleSession?> FindAsync(byte[] tokenHash, CancellationToken cancellationToken);

    /// <summary>Moves the session's last use to <paramref name="now"/> (the idle limit counts from there).</summary>
    Task TouchAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ends the session; false when there was none.</summary>
    Task<bool> DeleteAsync(byte[] tokenHash, CancellationToken cancellationToken);

    /// <summary>Removes sessions past their absolute expiry or unused since <paramref name="idleSince"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset now, DateTimeOffset idleSince, CancellationToken cancellationToken);
}
