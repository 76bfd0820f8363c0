using Cairn.Storage.Sessions;

namespace Cairn.Storage.Sqlite.Sessions;

/// <summary>The console's failed sign-ins in the embedded database (table from <see cref="SqliteConsoleSessionStore.Migrations"/>).</summary>
public sealed class SqliteConsoleSignInFailureStore(SqliteDatabase database) : IConsoleSignInFailureStore
{
    public Task<IReadOnlyList<DateTimeOffset>> FindRecentAsync(byte[] key, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DateTimeOffset>>(database.Read(c => c.Query(
            "SELECT failed_at FROM console_sign_in_failures WHERE user_key = ? AND failed_at > ? ORDER BY failed_at DESC LIMIT ?",
            row => DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(0)), key, since, limit)));

    public Task RecordAsync(byte[] key, DateTimeOffset at, DateTimeOffset expiredUntil, CancellationToken cancellationToken) =>
        database.WriteAsync(c =>
        {
            c.Execute("DELETE FROM console_sign_in_failures WHERE failed_at <= ?", expiredUntil);
            c.Execute("INSERT INTO console_sign_in_failures (user_key, failed_at) VALUES (?, ?)", key, at);
        }, cancellationToken);

    public Task ClearAsync(byte[] key, CancellationToken cancellationToken) =>
        database.WriteAsync(c => c.Execute("DELETE FROM console_sign_in_failures WHERE user_key = ?", key), cancellationToken);
}
