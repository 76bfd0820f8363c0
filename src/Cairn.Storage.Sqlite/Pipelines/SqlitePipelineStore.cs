using System.Text.Json.Nodes;
using Cairn.Core.Pipelines;
using Cairn.Storage.Pipelines;

namespace Cairn.Storage.Sqlite.Pipelines;

/// <summary>Pipelines in the embedded database (tables from <see cref="PipelineMigrations"/>): one row per pipeline, one per version.</summary>
public sealed class SqlitePipelineStore(SqliteDatabase database) : IPipelineStore
{
    private const string SelectAtVersion =
        """
        SELECT p.account_id, p.region, p.name, v.declaration, v.version, p.created_at, v.updated_at, p.tags
        FROM codepipeline_pipelines p JOIN codepipeline_pipeline_versions v
          ON v.account_id = p.account_id AND v.region = p.region AND v.name = p.name
        """;

    public async Task<bool> CreateAsync(PipelineRecord pipeline, CancellationToken cancellationToken) =>
        await database.WriteAsync(connection =>
        {
            if (Latest(connection, pipeline.Scope, pipeline.Name) is not null)
            {
                return false;
            }

            connection.Execute(
                "INSERT INTO codepipeline_pipelines (account_id, region, name, version, created_at, tags) VALUES (?, ?, ?, 1, ?, ?)",
                pipeline.Scope.AccountId, pipeline.Scope.Region, pipeline.Name, pipeline.Created, TagsJson(pipeline.Tags));
            InsertVersion(connection, pipeline.Scope, pipeline.Name, 1, pipeline.Declaration, pipeline.Updated);
            return true;
        }, cancellationToken);

    public Task<PipelineVersionLookup?> GetAsync(PipelineScope scope, string name, int? version, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
        {
            var latest = Latest(connection, scope, name);
            if (latest is null)
            {
                return null;
            }

            var wanted = version ?? latest.Value;
            var pipeline = connection.QuerySingle(
                SelectAtVersion + " WHERE p.account_id = ? AND p.region = ? AND p.name = ? AND v.version = ?",
                Read, scope.AccountId, scope.Region, name, wanted);
            return new PipelineVersionLookup(pipeline, latest.Value);
        }));

    public async Task<PipelineRecord?> UpdateAsync(PipelineScope scope, string name, string declaration, DateTimeOffset updated, CancellationToken cancellationToken) =>
        await database.WriteAsync(connection =>
        {
            if (Latest(connection, scope, name) is not { } latest)
            {
                return null;
            }

            connection.Execute(
                "UPDATE codepipeline_pipelines SET version = ? WHERE account_id = ? AND region = ? AND name = ?", latest + 1, scope.AccountId, scope.Region, name);
            InsertVersion(connection, scope, name, latest + 1, declaration, updated);
            return connection.QuerySingle(
                SelectAtVersion + " WHERE p.account_id = ? AND p.region = ? AND p.name = ? AND v.version = p.version", Read, scope.AccountId, scope.Region, name);
        }, cancellationToken);

    public async Task<bool> DeleteAsync(PipelineScope scope, string name, CancellationToken cancellationToken) =>
        await database.WriteAsync(connection =>
        {
            connection.Execute("DELETE FROM codepipeline_pipeline_versions WHERE account_id = ? AND region = ? AND name = ?", scope.AccountId, scope.Region, name);
            return connection.Execute("DELETE FROM codepipeline_pipelines WHERE account_id = ? AND region = ? AND name = ?", scope.AccountId, scope.Region, name) > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<PipelineRecord>> ListAsync(PipelineScope scope, string? after, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PipelineRecord>>(database.Read(connection => connection.Query(
            SelectAtVersion + " WHERE p.account_id = ? AND p.region = ? AND v.version = p.version AND p.name > ? ORDER BY p.name LIMIT ?",
            Read, scope.AccountId, scope.Region, after ?? string.Empty, limit)));

    public Task<IReadOnlyList<PipelineScope>> ListScopesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PipelineScope>>(database.Read(connection => connection.Query(
            "SELECT DISTINCT account_id, region FROM codepipeline_pipelines ORDER BY account_id, region",
            row => new PipelineScope(row.GetString(0), row.GetString(1)))));

    public async Task<IReadOnlyList<PipelineTag>?> UpdateTagsAsync(
        PipelineScope scope, string name, Func<IReadOnlyList<PipelineTag>, IReadOnlyList<PipelineTag>> change, CancellationToken cancellationToken) =>
        await database.WriteAsync(connection =>
        {
            var current = connection.QuerySingle(
                "SELECT tags FROM codepipeline_pipelines WHERE account_id = ? AND region = ? AND name = ?",
                row => ParseTags(row.GetString(0)), scope.AccountId, scope.Region, name);
            if (current is null)
            {
                return null;
            }

            var changed = change(current);
            connection.Execute(
                "UPDATE codepipeline_pipelines SET tags = ? WHERE account_id = ? AND region = ? AND name = ?", TagsJson(changed), scope.AccountId, scope.Region, name);
            return changed;
        }, cancellationToken);

    private static int? Latest(SqliteConnection connection, PipelineScope scope, string name) =>
        connection.QuerySingle(
            "SELECT version FROM codepipeline_pipelines WHERE account_id = ? AND region = ? AND name = ?",
            row => (int?)row.GetInt32(0), scope.AccountId, scope.Region, name);

    private static void InsertVersion(SqliteConnection connection, PipelineScope scope, string name, int version, string declaration, DateTimeOffset updated) =>
        connection.Execute(
            "INSERT INTO codepipeline_pipeline_versions (account_id, region, name, version, declaration, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            scope.AccountId, scope.Region, name, version, declaration, updated);

    private static PipelineRecord Read(SqliteRow row) => new(
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
