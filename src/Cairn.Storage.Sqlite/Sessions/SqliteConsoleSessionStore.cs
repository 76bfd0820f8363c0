using Cairn.Core.Identity;
using Cairn.Storage.Sessions;

namespace Cairn.Storage.Sqlite.Sessions;

/// <summary>Dashboard sessions in the embedded database, keyed by their token's SHA-256 (tables from <see cref="Migrations"/>).</summary>
public sealed class SqliteConsoleSessionStore(SqliteDatabase database) : IConsoleSessionStore
{
    private const string Columns = "token_hash, principal_kind, account_id, arn, user_id, name, session_name, created_at, last_seen_at, expires_at, client_address, password_change_required";

    /// <summary>The "console_sessions" module's own schema steps (with <see cref="SqliteConsoleSignInFailureStore"/>'s table), apart from the identity store's. Append only.</summary>
    public static MigrationSet Migrations { get; } = new("console_sessions",
    [
        """
        CREATE TABLE console_sessions (
            token_hash BLOB NOT NULL PRIMARY KEY,
            principal_kind TEXT NOT NULL,
            account_id TEXT NOT NULL,
            arn TEXT NOT NULL,
            user_id TEXT NOT NULL,
            name TEXT,
            session_name TEXT,
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            client_address TEXT
        ) WITHOUT ROWID;
        CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
        """,
        "ALTER TABLE console_sessions ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0;",
        // SqliteConsoleSignInFailureStore's: the console's failed sign-ins, by a keyed hash of account and user.
        """
        CREATE TABLE console_sign_in_failures (
            user_key BLOB NOT NULL,
            failed_at INTEGER NOT NULL
        );
        CREATE INDEX console_sign_in_failures_user ON console_sign_in_failures (user_key, failed_at);
        CREATE INDEX console_sign_in_failures_time ON console_sign_in_failures (failed_at);
        """,
    ]);

    public Task CreateAsync(ConsoleSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var p = session.Principal;
        return database.WriteAsync(c => c.Execute(
            $"INSERT INTO console_sessions ({Columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            session.TokenHash, p.Kind.ToString(), p.AccountId, p.Arn, p.UserId, p.Name, p.SessionName,
            session.CreatedAt, session.LastSeenAt, session.ExpiresAt, session.ClientAddress, session.PasswordChangeRequired), cancellationToken);
    }

    public Task<ConsoleSession?> FindAsync(byte[] tokenHash, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(c => c.QuerySingle($"SELECT {Columns} FROM console_sessions WHERE token_hash = ?", Read, tokenHash)));

    public Task TouchAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(c => c.Execute("UPDATE console_sessions SET last_seen_at = ? WHERE token_hash = ?", now, tokenHash), cancellationToken);

    public Task<bool> DeleteAsync(byte[] tokenHash, CancellationToken cancellationToken) =>
        database.WriteAsync(c => c.Execute("DELETE FROM console_sessions WHERE token_hash = ?", tokenHash) > 0, cancellationToken);

    public Task<int> PurgeAsync(DateTimeOffset now, DateTimeOffset idleSince, CancellationToken cancellationToken) =>
        database.WriteAsync(c => c.Execute("DELETE FROM console_sessions WHERE expires_at <= ? OR last_seen_at < ?", now, idleSince), cancellationToken);

    private static ConsoleSession Read(SqliteRow row) => new(
        row.GetBlob(0),
        new Principal(Enum.Parse<PrincipalKind>(row.GetString(1)), row.GetString(2), row.GetString(3), row.GetString(4), row.GetStringOrNull(5), row.GetStringOrNull(6)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(8)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(9)),
        row.GetStringOrNull(10),
        row.GetInt64(11) != 0);
}
