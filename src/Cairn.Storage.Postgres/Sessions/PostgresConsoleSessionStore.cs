using Cairn.Core.Identity;
using Cairn.Storage.Sessions;
using Npgsql;

namespace Cairn.Storage.Postgres.Sessions;

/// <summary>
/// Dashboard sessions in PostgreSQL (schema <c>cairn_console_sessions</c>), keyed by their token's SHA-256: what is stored
/// signs no one in. Shared by every server, so a sign-out through one ends the session on all.
/// </summary>
public sealed class PostgresConsoleSessionStore(PostgresDatabase database) : IConsoleSessionStore
{
    private const string Columns = "token_hash, principal_kind, account_id, arn, user_id, name, session_name, created_at, last_seen_at, expires_at, client_address, password_change_required";

    /// <summary>The "console_sessions" store's schema steps (with <see cref="PostgresConsoleSignInFailureStore"/>'s table). Append only.</summary>
    public static PostgresMigrationSet Migrations { get; } = new("console_sessions",
    [
        """
        CREATE SCHEMA cairn_console_sessions;
        CREATE TABLE cairn_console_sessions.sessions (
            token_hash bytea NOT NULL PRIMARY KEY,
            principal_kind text NOT NULL,
            account_id text NOT NULL,
            arn text NOT NULL,
            user_id text NOT NULL,
            name text,
            session_name text,
            created_at bigint NOT NULL,
            last_seen_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            client_address text);
        CREATE INDEX sessions_expiry ON cairn_console_sessions.sessions (expires_at);
        """,
        "ALTER TABLE cairn_console_sessions.sessions ADD COLUMN password_change_required boolean NOT NULL DEFAULT false;",
        // PostgresConsoleSignInFailureStore's: the console's failed sign-ins, by a keyed hash of account and user.
        """
        CREATE TABLE cairn_console_sessions.sign_in_failures (
            user_key bytea NOT NULL,
            failed_at bigint NOT NULL);
        CREATE INDEX sign_in_failures_user ON cairn_console_sessions.sign_in_failures (user_key, failed_at);
        CREATE INDEX sign_in_failures_time ON cairn_console_sessions.sign_in_failures (failed_at);
        """,
    ]);

    public Task CreateAsync(ConsoleSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var p = session.Principal;
        return database.WriteAsync(s => s.ExecuteAsync(
            $"INSERT INTO cairn_console_sessions.sessions ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            session.TokenHash, p.Kind.ToString(), p.AccountId, p.Arn, p.UserId, p.Name, p.SessionName,
            session.CreatedAt, session.LastSeenAt, session.ExpiresAt, session.ClientAddress, session.PasswordChangeRequired), cancellationToken);
    }

    public Task<ConsoleSession?> FindAsync(byte[] tokenHash, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync($"SELECT {Columns} FROM cairn_console_sessions.sessions WHERE token_hash = $1", Read, tokenHash), cancellationToken);

    public Task TouchAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(s => s.ExecuteAsync("UPDATE cairn_console_sessions.sessions SET last_seen_at = $1 WHERE token_hash = $2", now, tokenHash), cancellationToken);

    public Task<bool> DeleteAsync(byte[] tokenHash, CancellationToken cancellationToken) =>
        database.WriteAsync(async s => await s.ExecuteAsync("DELETE FROM cairn_console_sessions.sessions WHERE token_hash = $1", tokenHash).ConfigureAwait(false) > 0,
            cancellationToken);

    public Task<int> PurgeAsync(DateTimeOffset now, DateTimeOffset idleSince, CancellationToken cancellationToken) =>
        database.WriteAsync(s => s.ExecuteAsync(
            "DELETE FROM cairn_console_sessions.sessions WHERE expires_at <= $1 OR last_seen_at < $2", now, idleSince), cancellationToken);

    private static ConsoleSession Read(NpgsqlDataReader row) => new(
        (byte[])row.GetValue(0),
        new Principal(Enum.Parse<PrincipalKind>(row.GetString(1)), row.GetString(2), row.GetString(3), row.GetString(4), StringOrNull(row, 5), StringOrNull(row, 6)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(8)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(9)),
        StringOrNull(row, 10),
        row.GetBoolean(11));

    private static string? StringOrNull(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);
}
