using Cairn.Storage.Builds;

namespace Cairn.Storage.Sqlite.Builds;

/// <summary>Build agents and their registration tokens in the embedded database (tables from <see cref="BuildMigrations"/>).</summary>
public sealed class SqliteBuildAgentStore(SqliteDatabase database) : IBuildAgentStore
{
    private const string AgentColumns = "id, account_id, name, labels, secret_hash, created_by, created_at, revoked_at";

    public Task AddRegistrationTokenAsync(
        string accountId, string tokenHash, string createdBy, DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.Execute(
            "INSERT INTO codebuild_agent_tokens (token_hash, account_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            tokenHash, accountId, createdBy, createdAt, expiresAt), cancellationToken);

    public Task<BuildAgent?> RegisterAsync(string tokenHash, Func<string, BuildAgent> agent, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var account = connection.QuerySingle(
                "SELECT account_id FROM codebuild_agent_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
                row => row.GetString(0), tokenHash, now);
            if (account is null)
            {
                return null;
            }

            connection.Execute("UPDATE codebuild_agent_tokens SET used_at = ? WHERE token_hash = ?", now, tokenHash);
            var registered = agent(account);
            connection.Execute(
                $"INSERT INTO codebuild_agents ({AgentColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                registered.Id, registered.AccountId, registered.Name, string.Join(',', registered.Labels), registered.SecretHash, registered.CreatedBy, registered.CreatedAt);
            return registered;
        }, cancellationToken);

    public Task<BuildAgent?> FindAgentAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection => connection.QuerySingle($"SELECT {AgentColumns} FROM codebuild_agents WHERE id = ?", Read, id)));

    public Task<IReadOnlyList<BuildAgent>> ListAgentsAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BuildAgent>>(database.Read(connection =>
            connection.Query($"SELECT {AgentColumns} FROM codebuild_agents WHERE account_id = ? ORDER BY created_at, id", Read, accountId)));

    public Task<bool> RevokeAgentAsync(string accountId, string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.Execute(
            "UPDATE codebuild_agents SET revoked_at = COALESCE(revoked_at, ?) WHERE account_id = ? AND id = ?", now, accountId, id) > 0, cancellationToken);

    private static BuildAgent Read(SqliteRow row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2),
        row.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries), row.GetString(4), row.GetString(5),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(6)), row.IsNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)));
}
