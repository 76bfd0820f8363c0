using Cairn.Storage.Sessions;

namespace Cairn.Storage.Postgres.Sessions;

/// <summary>
/// The console's failed sign-ins in PostgreSQL (table <c>cairn_console_sessions.sign_in_failures</c>, from
/// <see cref="PostgresConsoleSessionStore.Migrations"/>): every server counts and sees the same failures.
/// </summary>
public sealed class PostgresConsoleSignInFailureStore(PostgresDatabase database) : IConsoleSignInFailureStore
{
    public async Task<IReadOnlyList<DateTimeOffset>> FindRecentAsync(byte[] key, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            "SELECT failed_at FROM cairn_console_sessions.sign_in_failures WHERE user_key = $1 AND failed_at > $2 ORDER BY failed_at DESC LIMIT $3",
            row => DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(0)), key, since, limit), cancellationToken).ConfigureAwait(false);

    public Task RecordAsync(byte[] key, DateTimeOffset at, DateTimeOffset expiredUntil, CancellationToken cancellationToken) =>
        database.WriteAsync(s => s.ExecuteBatchAsync(
        [
            // Rows another server is deleting at the same moment are skipped, not waited for: no deadlock between two prunes.
            PostgresSession.Statement(
                """
                DELETE FROM cairn_console_sessions.sign_in_failures WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM cairn_console_sessions.sign_in_failures WHERE failed_at <= $1 FOR UPDATE SKIP LOCKED))
                """, expiredUntil),
            PostgresSession.Statement("INSERT INTO cairn_console_sessions.sign_in_failures (user_key, failed_at) VALUES ($1, $2)", key, at),
        ]), cancellationToken);

    public Task ClearAsync(byte[] key, CancellationToken cancellationToken) =>
        database.WriteAsync(s => s.ExecuteAsync("DELETE FROM cairn_console_sessions.sign_in_failures WHERE user_key = $1", key), cancellationToken);
}
