using Cairn.Storage.Builds;
using Npgsql;

namespace Cairn.Storage.Postgres.Builds;

/// <summary>
/// Build agents and their registration tokens in PostgreSQL (tables from <see cref="BuildMigrations"/>). A token is
/// consumed by one conditional UPDATE, so two servers redeeming it at once enrol one agent.
/// </summary>
public sealed class PostgresBuildAgentStore(PostgresDatabase database) : IBuildAgentStore
{
    private const string AgentColumns = "id, account_id, name, labels, secret_hash, created_by, created_at, revoked_at";

    public Task AddRegistrationTokenAsync(
        string accountId, string tokenHash, string createdBy, DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync(session => session.ExecuteAsync(
            "INSERT INTO cairn_builds.agent_tokens (token_hash, account_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            tokenHash, accountId, createdBy, createdAt, expiresAt), cancellationToken);

    public Task<BuildAgent?> RegisterAsync(string tokenHash, Func<string, BuildAgent> agent, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            var account = await session.QuerySingleAsync(
                "UPDATE cairn_builds.agent_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING account_id",
                row => row.GetString(0), tokenHash, now).ConfigureAwait(false);
            if (account is null)
            {
                return null;
            }

            var registered = agent(account);
            await session.ExecuteAsync(
                $"INSERT INTO cairn_builds.agents ({AgentColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)",
                registered.Id, registered.AccountId, registered.Name, string.Join(',', registered.Labels), registered.SecretHash, registered.CreatedBy,
                registered.CreatedAt).ConfigureAwait(false);
            return registered;
        }, cancellationToken);

    public Task<BuildAgent?> FindAgentAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(session => session.QuerySingleAsync($"SELECT {AgentColumns} FROM cairn_builds.agents WHERE id = $1", Read, id), cancellationToken);

    public async Task<IReadOnlyList<BuildAgent>> ListAgentsAsync(string accountId, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            $"SELECT {AgentColumns} FROM cairn_builds.agents WHERE account_id = $1 ORDER BY created_at, id COLLATE \"C\"", Read, accountId),
            cancellationToken).ConfigureAwait(false);

    public Task<bool> RevokeAgentAsync(string accountId, string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async session => await session.ExecuteAsync(
            "UPDATE cairn_builds.agents SET revoked_at = COALESCE(revoked_at, $1) WHERE account_id = $2 AND id = $3", now, accountId, id).ConfigureAwait(false) > 0,
            cancellationToken);

    private static BuildAgent Read(NpgsqlDataReader row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2),
        row.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries), row.GetString(4), row.GetString(5),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(6)), row.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)));
}
