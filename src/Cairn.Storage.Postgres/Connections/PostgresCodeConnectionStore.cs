using System.Text.Json.Nodes;
using Cairn.Core.Connections;
using Cairn.Core.Pipelines;
using Cairn.Storage.Connections;
using Npgsql;

namespace Cairn.Storage.Postgres.Connections;

/// <summary>
/// Connections, hosts and change detection's seen revisions in PostgreSQL (schema <c>cairn_connections</c>). Tag changes
/// and host deletion read the row <c>FOR UPDATE</c>, so two servers' changes apply in turn.
/// </summary>
public sealed class PostgresCodeConnectionStore(PostgresDatabase database) : ICodeConnectionStore
{
    /// <summary>The "connections" store's schema steps. Append only.</summary>
    public static PostgresMigrationSet Migrations { get; } = new("connections",
    [
        """
        CREATE SCHEMA cairn_connections;
        CREATE TABLE cairn_connections.connections (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            arn text NOT NULL,
            name text NOT NULL,
            provider_type text,
            host_id text,
            host_arn text,
            status text NOT NULL,
            created_at bigint NOT NULL,
            tags text NOT NULL,
            PRIMARY KEY (account_id, region, id));
        CREATE TABLE cairn_connections.hosts (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            arn text NOT NULL,
            name text NOT NULL,
            provider_type text NOT NULL,
            provider_endpoint text NOT NULL,
            status text NOT NULL,
            created_at bigint NOT NULL,
            tags text NOT NULL,
            PRIMARY KEY (account_id, region, id));
        CREATE TABLE cairn_connections.source_revisions (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            pipeline text COLLATE "C" NOT NULL,
            action text COLLATE "C" NOT NULL,
            ref text COLLATE "C" NOT NULL,
            revision text NOT NULL,
            PRIMARY KEY (account_id, region, pipeline, action, ref));
        """,
    ]);

    private const string ConnectionColumns = "arn, name, account_id, region, provider_type, host_arn, status, created_at, tags";
    private const string HostColumns = "arn, name, account_id, region, provider_type, provider_endpoint, status, created_at, tags";
    private const string Key3 = "account_id = $1 AND region = $2 AND id = $3";

    public Task<bool> CreateConnectionAsync(ConnectionRecord connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var key = Key(connection.Arn, "connection") ?? throw new ArgumentException($"not a connection ARN: {connection.Arn}", nameof(connection));
        var hostId = connection.HostArn is null ? null : ConnectionArns.Parse(connection.HostArn)?.Id;
        return database.WriteAsync(async session => await session.ExecuteAsync(
            "INSERT INTO cairn_connections.connections (account_id, region, id, arn, name, provider_type, host_id, host_arn, status, created_at, tags) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (account_id, region, id) DO NOTHING",
            key.AccountId, key.Region, key.Id, connection.Arn, connection.Name, connection.ProviderType, hostId, connection.HostArn, connection.Status,
            connection.Created, TagsJson(connection.Tags)).ConfigureAwait(false) > 0, cancellationToken);
    }

    public async Task<ConnectionRecord?> GetConnectionAsync(string arn, CancellationToken cancellationToken) =>
        Key(arn, "connection") is { } key
            ? await database.ReadAsync(session => session.QuerySingleAsync(
                $"SELECT {ConnectionColumns} FROM cairn_connections.connections WHERE {Key3}", ReadConnection, key.AccountId, key.Region, key.Id),
                cancellationToken).ConfigureAwait(false)
            : null;

    public async Task<IReadOnlyList<ConnectionRecord>> ListConnectionsAsync(
        string accountId, string region, string? providerType, string? hostArn, string? after, int limit, CancellationToken cancellationToken)
    {
        var hostId = hostArn is null ? null : ConnectionArns.Parse(hostArn)?.Id ?? string.Empty;
        return await database.ReadAsync(session => session.QueryAsync(
            $"SELECT {ConnectionColumns} FROM cairn_connections.connections WHERE account_id = $1 AND region = $2 AND id > $3"
            + " AND ($4::text IS NULL OR provider_type = $4::text) AND ($5::text IS NULL OR host_id = $5::text) ORDER BY id LIMIT $6",
            ReadConnection, accountId, region, after ?? string.Empty, providerType, hostId, limit), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteConnectionAsync(string arn, CancellationToken cancellationToken) =>
        Key(arn, "connection") is { } key
        && await database.WriteAsync(async session => await session.ExecuteAsync(
            $"DELETE FROM cairn_connections.connections WHERE {Key3}", key.AccountId, key.Region, key.Id).ConfigureAwait(false) > 0, cancellationToken).ConfigureAwait(false);

    public Task<bool> CreateHostAsync(HostRecord host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var key = Key(host.Arn, "host") ?? throw new ArgumentException($"not a host ARN: {host.Arn}", nameof(host));
        return database.WriteAsync(async session => await session.ExecuteAsync(
            "INSERT INTO cairn_connections.hosts (account_id, region, id, arn, name, provider_type, provider_endpoint, status, created_at, tags) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (account_id, region, id) DO NOTHING",
            key.AccountId, key.Region, key.Id, host.Arn, host.Name, host.ProviderType, host.ProviderEndpoint, host.Status, host.Created,
            TagsJson(host.Tags)).ConfigureAwait(false) > 0, cancellationToken);
    }

    public async Task<HostRecord?> GetHostAsync(string arn, CancellationToken cancellationToken) =>
        Key(arn, "host") is { } key
            ? await database.ReadAsync(session => session.QuerySingleAsync(
                $"SELECT {HostColumns} FROM cairn_connections.hosts WHERE {Key3}", ReadHost, key.AccountId, key.Region, key.Id), cancellationToken).ConfigureAwait(false)
            : null;

    public async Task<IReadOnlyList<HostRecord>> ListHostsAsync(string accountId, string region, string? after, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            $"SELECT {HostColumns} FROM cairn_connections.hosts WHERE account_id = $1 AND region = $2 AND id > $3 ORDER BY id LIMIT $4",
            ReadHost, accountId, region, after ?? string.Empty, limit), cancellationToken).ConfigureAwait(false);

    public async Task<HostDeletion> DeleteHostAsync(string arn, CancellationToken cancellationToken)
    {
        if (Key(arn, "host") is not { } key)
        {
            return HostDeletion.NotFound;
        }

        return await database.WriteAsync(async session =>
        {
            if (await session.QuerySingleAsync($"SELECT 1 FROM cairn_connections.hosts WHERE {Key3} FOR UPDATE", r => r.GetInt32(0),
                key.AccountId, key.Region, key.Id).ConfigureAwait(false) != 1)
            {
                return HostDeletion.NotFound;
            }

            var users = await session.QuerySingleAsync(
                "SELECT COUNT(*)::integer FROM cairn_connections.connections WHERE account_id = $1 AND region = $2 AND host_id = $3",
                r => r.GetInt32(0), key.AccountId, key.Region, key.Id).ConfigureAwait(false);
            if (users > 0)
            {
                return new HostDeletion(true, users);
            }

            await session.ExecuteAsync($"DELETE FROM cairn_connections.hosts WHERE {Key3}", key.AccountId, key.Region, key.Id).ConfigureAwait(false);
            return HostDeletion.Deleted;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ConnectionTag>?> UpdateTagsAsync(
        string arn, Func<IReadOnlyList<ConnectionTag>, IReadOnlyList<ConnectionTag>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (ConnectionArns.Parse(arn) is not { } key)
        {
            return null;
        }

        var table = key.Kind == "host" ? "cairn_connections.hosts" : "cairn_connections.connections";
        return await database.WriteAsync<IReadOnlyList<ConnectionTag>?>(async session =>
        {
            var current = await session.QuerySingleAsync(
                $"SELECT tags FROM {table} WHERE {Key3} FOR UPDATE", r => ParseTags(r.GetString(0)), key.AccountId, key.Region, key.Id).ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }

            var changed = change(current);
            await session.ExecuteAsync($"UPDATE {table} SET tags = $4 WHERE {Key3}", key.AccountId, key.Region, key.Id, TagsJson(changed)).ConfigureAwait(false);
            return changed;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetSeenRevisionsAsync(PipelineScope scope, string pipelineName, string actionName, CancellationToken cancellationToken) =>
        (await database.ReadAsync(session => session.QueryAsync(
            "SELECT ref, revision FROM cairn_connections.source_revisions WHERE account_id = $1 AND region = $2 AND pipeline = $3 AND action = $4",
            r => (Ref: r.GetString(0), Revision: r.GetString(1)), scope.AccountId, scope.Region, pipelineName, actionName), cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.Ref, p => p.Revision, StringComparer.Ordinal);

    public Task SetSeenRevisionsAsync(
        PipelineScope scope, string pipelineName, string actionName, IReadOnlyDictionary<string, string> revisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        return database.WriteAsync(async session =>
        {
            foreach (var (gitRef, revision) in revisions)
            {
                await session.ExecuteAsync(
                    "INSERT INTO cairn_connections.source_revisions (account_id, region, pipeline, action, ref, revision) VALUES ($1, $2, $3, $4, $5, $6)"
                    + " ON CONFLICT (account_id, region, pipeline, action, ref) DO UPDATE SET revision = excluded.revision",
                    scope.AccountId, scope.Region, pipelineName, actionName, gitRef, revision).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    private static ConnectionArn? Key(string arn, string kind) => ConnectionArns.Parse(arn) is { } parsed && parsed.Kind == kind ? parsed : null;

    private static string? StringOrNull(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    private static ConnectionRecord ReadConnection(NpgsqlDataReader row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3), StringOrNull(row, 4), StringOrNull(row, 5), row.GetString(6),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)), ParseTags(row.GetString(8)));

    private static HostRecord ReadHost(NpgsqlDataReader row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetString(4), row.GetString(5), row.GetString(6),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)), ParseTags(row.GetString(8)));

    private static string TagsJson(IEnumerable<ConnectionTag> tags) =>
        new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray()).ToJsonString();

    private static List<ConnectionTag> ParseTags(string json) =>
        JsonNode.Parse(json)!.AsArray().Select(t => new ConnectionTag(t!["Key"]!.GetValue<string>(), t["Value"]!.GetValue<string>())).ToList();
}
