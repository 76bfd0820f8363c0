using System.Text.Json.Nodes;
using Cairn.Core.Pipelines;
using Cairn.Storage.Pipelines;
using Npgsql;

namespace Cairn.Storage.Postgres.Pipelines;

/// <summary>
/// Pipelines in PostgreSQL (schema <c>cairn_pipelines</c>): one row per pipeline, one per version. A new version or a tag
/// change reads the pipeline's row <c>FOR UPDATE</c>, so two servers' updates get consecutive versions.
/// </summary>
public sealed class PostgresPipelineStore(PostgresDatabase database) : IPipelineStore
{
    /// <summary>The "pipelines" store's schema steps. Append only.</summary>
    public static PostgresMigrationSet Migrations { get; } = new("pipelines",
    [
        """
        CREATE SCHEMA cairn_pipelines;
        CREATE TABLE cairn_pipelines.pipelines (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            name text COLLATE "C" NOT NULL,
            version integer NOT NULL,
            created_at bigint NOT NULL,
            tags text NOT NULL,
            PRIMARY KEY (account_id, region, name));
        CREATE TABLE cairn_pipelines.versions (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            name text COLLATE "C" NOT NULL,
            version integer NOT NULL,
            declaration text NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (account_id, region, name, version),
            FOREIGN KEY (account_id, region, name) REFERENCES cairn_pipelines.pipelines (account_id, region, name) ON DELETE CASCADE);
        """,
    ]);

    private const string SelectAtVersion =
        """
        SELECT p.account_id, p.region, p.name, v.declaration, v.version, p.created_at, v.updated_at, p.tags
        FROM cairn_pipelines.pipelines p JOIN cairn_pipelines.versions v
          ON v.account_id = p.account_id AND v.region = p.region AND v.name = p.name
        """;

    public Task<bool> CreateAsync(PipelineRecord pipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return database.WriteAsync(async session =>
        {
            var inserted = await session.ExecuteAsync(
                "INSERT INTO cairn_pipelines.pipelines (account_id, region, name, version, created_at, tags) VALUES ($1, $2, $3, 1, $4, $5) "
                + "ON CONFLICT (account_id, region, name) DO NOTHING",
                pipeline.Scope.AccountId, pipeline.Scope.Region, pipeline.Name, pipeline.Created, TagsJson(pipeline.Tags)).ConfigureAwait(false) > 0;
            if (inserted)
            {
                await InsertVersionAsync(session, pipeline.Scope, pipeline.Name, 1, pipeline.Declaration, pipeline.Updated).ConfigureAwait(false);
            }

            return inserted;
        }, cancellationToken);
    }

    public Task<PipelineVersionLookup?> GetAsync(PipelineScope scope, string name, int? version, CancellationToken cancellationToken) =>
        database.ReadAsync(async session =>
        {
            if (await LatestAsync(session, scope, name, forUpdate: false).ConfigureAwait(false) is not { } latest)
            {
                return null;
            }

            var pipeline = await session.QuerySingleAsync(
                SelectAtVersion + " WHERE p.account_id = $1 AND p.region = $2 AND p.name = $3 AND v.version = $4",
                Read, scope.AccountId, scope.Region, name, version ?? latest).ConfigureAwait(false);
            return new PipelineVersionLookup(pipeline, latest);
        }, cancellationToken);

    public Task<PipelineRecord?> UpdateAsync(PipelineScope scope, string name, string declaration, DateTimeOffset updated, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            if (await LatestAsync(session, scope, name, forUpdate: true).ConfigureAwait(false) is not { } latest)
            {
                return null;
            }

            await session.ExecuteAsync(
                "UPDATE cairn_pipelines.pipelines SET version = $1 WHERE account_id = $2 AND region = $3 AND name = $4",
                latest + 1, scope.AccountId, scope.Region, name).ConfigureAwait(false);
            await InsertVersionAsync(session, scope, name, latest + 1, declaration, updated).ConfigureAwait(false);
            return await session.QuerySingleAsync(
                SelectAtVersion + " WHERE p.account_id = $1 AND p.region = $2 AND p.name = $3 AND v.version = p.version",
                Read, scope.AccountId, scope.Region, name).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> DeleteAsync(PipelineScope scope, string name, CancellationToken cancellationToken) =>
        database.WriteAsync(async session => await session.ExecuteAsync(
            "DELETE FROM cairn_pipelines.pipelines WHERE account_id = $1 AND region = $2 AND name = $3",
            scope.AccountId, scope.Region, name).ConfigureAwait(false) > 0, cancellationToken);

    public async Task<IReadOnlyList<PipelineRecord>> ListAsync(PipelineScope scope, string? after, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            SelectAtVersion + " WHERE p.account_id = $1 AND p.region = $2 AND v.version = p.version AND p.name > $3 ORDER BY p.name LIMIT $4",
            Read, scope.AccountId, scope.Region, after ?? string.Empty, limit), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<PipelineScope>> ListScopesAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            "SELECT DISTINCT account_id, region FROM cairn_pipelines.pipelines ORDER BY account_id, region",
            row => new PipelineScope(row.GetString(0), row.GetString(1))), cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<PipelineTag>?> UpdateTagsAsync(
        PipelineScope scope, string name, Func<IReadOnlyList<PipelineTag>, IReadOnlyList<PipelineTag>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.WriteAsync<IReadOnlyList<PipelineTag>?>(async session =>
        {
            var current = await session.QuerySingleAsync(
                "SELECT tags FROM cairn_pipelines.pipelines WHERE account_id = $1 AND region = $2 AND name = $3 FOR UPDATE",
                row => ParseTags(row.GetString(0)), scope.AccountId, scope.Region, name).ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }

            var changed = change(current);
            await session.ExecuteAsync(
                "UPDATE cairn_pipelines.pipelines SET tags = $1 WHERE account_id = $2 AND region = $3 AND name = $4",
                TagsJson(changed), scope.AccountId, scope.Region, name).ConfigureAwait(false);
            return changed;
        }, cancellationToken);
    }

    private static Task<int?> LatestAsync(PostgresSession session, PipelineScope scope, string name, bool forUpdate) =>
        session.QuerySingleAsync(
            "SELECT version FROM cairn_pipelines.pipelines WHERE account_id = $1 AND region = $2 AND name = $3" + (forUpdate ? " FOR UPDATE" : string.Empty),
            row => (int?)row.GetInt32(0), scope.AccountId, scope.Region, name);

    private static Task InsertVersionAsync(PostgresSession session, PipelineScope scope, string name, int version, string declaration, DateTimeOffset updated) =>
        session.ExecuteAsync(
            "INSERT INTO cairn_pipelines.versions (account_id, region, name, version, declaration, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            scope.AccountId, scope.Region, name, version, declaration, updated);

    private static PipelineRecord Read(NpgsqlDataReader row) => new(
        new PipelineScope(row.GetString(0), row.GetString(1)),
        row.GetString(2),
        row.GetString(3),
        row.GetInt32(4),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(5)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(6)),
        ParseTags(row.GetString(7)));

    private static string TagsJson(IEnumerable<PipelineTag> tags) =>
        new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray()).ToJsonString();

    private static List<PipelineTag> ParseTags(string json) =>
        JsonNode.Parse(json)!.AsArray().Select(t => new PipelineTag(t!["key"]!.GetValue<string>(), t["value"]!.GetValue<string>())).ToList();
}
