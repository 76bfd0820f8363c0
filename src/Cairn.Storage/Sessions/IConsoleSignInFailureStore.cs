namespace Cairn.Storage.Sessions;

/// <summary>
/// The console's failed sign-ins, shared by every server on the database (and kept over a restart), so the lockout counts
/// a user's failures wherever they were made. A user is known only by an opaque key the caller derives (a keyed hash of
/// the account and the user name as typed, which may be a password typed in the wrong box): no name and never a password
/// is stored. Only the time of each failure is kept, and only for the lockout's window.
/// </summary>
public interface IConsoleSignInFailureStore
{
    /// <summary>The newest <paramref name="limit"/> failures of <paramref name="key"/> later than <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<DateTimeOffset>> FindRecentAsync(byte[] key, DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records a failure of <paramref name="key"/> at <paramref name="at"/>, and in the same write removes every key's
    /// failures at or before <paramref name="expiredUntil"/> (out of the window), so the store holds one window's failures at most.
    /// </summary>
    Task RecordAsync(byte[] key, DateTimeOffset at, DateTimeOffset expiredUntil, CancellationToken cancellationToken);

    /// <summary>Forgets <paramref name="key"/>'s failures (it signed in).</summary>
    Task ClearAsync(byte[] key, CancellationToken cancellationToken);
}
