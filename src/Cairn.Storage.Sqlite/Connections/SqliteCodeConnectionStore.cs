using System.Text.Json.Nodes;
using Cairn.Core.Connections;
using Cairn.Core.Pipelines;
using Cairn.Storage.Connections;

namespace Cairn.Storage.Sqlite.Connections;

/// <summary>Connections, hosts and change detection's seen revisions in the embedded database (tables from <see cref="ConnectionMigrations"/>).</summary>
public sealed class SqliteCodeConnectionStore(SqliteDatabase database) : ICodeConnectionStore
{
    private const string ConnectionColumns = "arn, name, account_id, region, provider_type, host_arn, status, created_at, tags";
    private const string HostColumns = "arn, name, account_id, region, provider_type, provider_endpoint, status, created_at, tags";

    public async Task<bool> CreateConnectionAsync(ConnectionRecord connection, CancellationToken cancellationToken)
    {
        var key = Key(connection.Arn, "connection") ?? throw new ArgumentException($"not a connection ARN: {connection.Arn}", nameof(connection));
        var hostId = connection.HostArn is null ? null : ConnectionArns.Parse(connection.HostArn)?.Id;
        return await database.WriteAsync(c =>
        {
            if (c.QuerySingle("SELECT 1 FROM codeconnections_connections WHERE account_id = ? AND region = ? AND id = ?", r => r.GetInt32(0), key.AccountId, key.Region, key.Id) == 1)
            {
                return false;
            }

            c.Execute(
                "INSERT INTO codeconnections_connections (account_id, region, id, arn, name, provider_type, host_id, host_arn, status, created_at, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                key.AccountId, key.Region, key.Id, connection.Arn, connection.Name, connection.ProviderType, hostId, connection.HostArn, connection.Status, connection.Created, TagsJson(connection.Tags));
            return true;
        }, cancellationToken);
    }

    public Task<ConnectionRecord?> GetConnectionAsync(string arn, CancellationToken cancellationToken) =>
        Task.FromResult(Key(arn, "connection") is { } key
            ? database.Read(c => c.QuerySingle(
                $"SELECT {ConnectionColumns} FROM codeconnections_connections WHERE account_id = ? AND region = ? AND id = ?", ReadConnection, key.AccountId, key.Region, key.Id))
            : null);

    public Task<IReadOnlyList<ConnectionRecord>> ListConnectionsAsync(
        string accountId, string region, string? providerType, string? hostArn, string? after, int limit, CancellationToken cancellationToken)
    {
        var hostId = hostArn is null ? null : ConnectionArns.Parse(hostArn)?.Id ?? string.Empty;
        return Task.FromResult<IReadOnlyList<ConnectionRecord>>(database.Read(c => c.Query(
            $"SELECT {ConnectionColumns} FROM codeconnections_connections WHERE account_id = ? AND region = ? AND id > ?"
            + " AND (? IS NULL OR provider_type = ?) AND (? IS NULL OR host_id = ?) ORDER BY id LIMIT ?",
            ReadConnection, accountId, region, after ?? string.Empty, providerType, providerType, hostId, hostId, limit)));
    }

    public async Task<bool> DeleteConnectionAsync(string arn, CancellationToken cancellationToken) =>
        Key(arn, "connection") is { } key
        && await database.WriteAsync(
            c => c.Execute("DELETE FROM codeconnections_connections WHERE account_id = ? AND region = ? AND id = ?", key.AccountId, key.Region, key.Id) > 0,
            cancellationToken);

    public async Task<bool> CreateHostAsync(HostRecord host, CancellationToken cancellationToken)
    {
        var key = Key(host.Arn, "host") ?? throw new ArgumentException($"not a host ARN: {host.Arn}", nameof(host));
        return await database.WriteAsync(c =>
        {
            if (c.QuerySingle("SELECT 1 FROM codeconnections_hosts WHERE account_id = ? AND region = ? AND id = ?", r => r.GetInt32(0), key.AccountId, key.Region, key.Id) == 1)
            {
                return false;
            }

            c.Execute(
                "INSERT INTO codeconnections_hosts (account_id, region, id, arn, name, provider_type, provider_endpoint, status, created_at, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                key.AccountId, key.Region, key.Id, host.Arn, host.Name, host.ProviderType, host.ProviderEndpoint, host.Status, host.Created, TagsJson(host.Tags));
            return true;
        }, cancellationToken);
    }

    public Task<HostRecord?> GetHostAsync(string arn, CancellationToken cancellationToken) =>
        Task.FromResult(Key(arn, "host") is { } key
            ? database.Read(c => c.QuerySingle(
                $"SELECT {HostColumns} FROM codeconnections_hosts WHERE account_id = ? AND region = ? AND id = ?", ReadHost, key.AccountId, key.Region, key.Id))
            : null);

    public Task<IReadOnlyList<HostRecord>> ListHostsAsync(string accountId, string region, string? after, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HostRecord>>(database.Read(c => c.Query(
            $"SELECT {HostColumns} FROM codeconnections_hosts WHERE account_id = ? AND region = ? AND id > ? ORDER BY id LIMIT ?",
            ReadHost, accountId, region, after ?? string.Empty, limit)));

    public async Task<HostDeletion> DeleteHostAsync(string arn, CancellationToken cancellationToken)
    {
        if (Key(arn, "host") is not { } key)
        {
            return HostDeletion.NotFound;
        }

        return await database.WriteAsync(c =>
        {
            var users = c.QuerySingle(
                "SELECT COUNT(*) FROM codeconnections_connections WHERE account_id = ? AND region = ? AND host_id = ?", r => r.GetInt32(0), key.AccountId, key.Region, key.Id);
            if (users > 0)
            {
                return c.QuerySingle("SELECT 1 FROM codeconnections_hosts WHERE account_id = ? AND region = ? AND id = ?", r => r.GetInt32(0), key.AccountId, key.Region, key.Id) == 1
                    ? new HostDeletion(true, users)
                    : HostDeletion.NotFound;
            }

            return c.Execute("DELETE FROM codeconnections_hosts WHERE account_id = ? AND region = ? AND id = ?", key.AccountId, key.Region, key.Id) > 0
                ? HostDeletion.Deleted
                : HostDeletion.NotFound;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ConnectionTag>?> UpdateTagsAsync(
        string arn, Func<IReadOnlyList<ConnectionTag>, IReadOnlyList<ConnectionTag>> change, CancellationToken cancellationToken)
    {
        if (ConnectionArns.Parse(arn) is not { } key)
        {
            return null;
        }

        var table = key.Kind == "host" ? "codeconnections_hosts" : "codeconnections_connections";
        return await database.WriteAsync(c =>
        {
            var current = c.QuerySingle(
                $"SELECT tags FROM {table} WHERE account_id = ? AND region = ? AND id = ?", r => ParseTags(r.GetString(0)), key.AccountId, key.Region, key.Id);
            if (current is null)
            {
                return null;
            }

            var changed = change(current);
            c.Execute($"UPDATE {table} SET tags = ? WHERE account_id = ? AND region = ? AND id = ?", TagsJson(changed), key.AccountId, key.Region, key.Id);
            return changed;
        }, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>> GetSeenRevisionsAsync(PipelineScope scope, string pipelineName, string actionName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(database.Read(c => c.Query(
            "SELECT ref, revision FROM codepipeline_source_revisions WHERE account_id = ? AND region = ? AND pipeline = ? AND action = ?",
            r => (Ref: r.GetString(0), Revision: r.GetString(1)), scope.AccountId, scope.Region, pipelineName, actionName)
            .ToDictionary(p => p.Ref, p => p.Revision, StringComparer.Ordinal)));

    public async Task SetSeenRevisionsAsync(
        PipelineScope scope, string pipelineName, string actionName, IReadOnlyDictionary<string, string> revisions, CancellationToken cancellationToken) =>
        await database.WriteAsync(c =>
        {
            foreach (var (gitRef, revision) in revisions)
            {
                c.Execute(
                    "INSERT INTO codepipeline_source_revisions (account_id, region, pipeline, action, ref, revision) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (account_id, region, pipeline, action, ref) DO UPDATE SET revision = excluded.revision",
                    scope.AccountId, scope.Region, pipelineName, actionName, gitRef, revision);
            }

            return true;
        }, cancellationToken);

    private static ConnectionArn? Key(string arn, string kind) => ConnectionArns.Parse(arn) is { } parsed && parsed.Kind == kind ? parsed : null;

    private static ConnectionRecord ReadConnection(SqliteRow row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetStringOrNull(4), row.GetStringOrNull(5), row.GetString(6),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)), ParseTags(row.GetString(8)));

    private static HostRecord ReadHost(SqliteRow row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetString(4), row.GetString(5), row.GetString(6),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)), ParseTags(row.GetString(8)));

    private static string TagsJson(IEnumerable<ConnectionTag> tags) =>
        new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray()).ToJsonString();

    private static List<ConnectionTag> ParseTags(string json) =>
        JsonNode.Parse(json)!.AsArray().Select(t => new ConnectionTag(t!["Key"]!.GetValue<string>(), t["Value"]!.GetValue<string>())).ToList();
}
