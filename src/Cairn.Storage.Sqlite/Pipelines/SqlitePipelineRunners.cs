using Cairn.Storage.Pipelines;

namespace Cairn.Storage.Sqlite.Pipelines;

/// <summary>
/// Pipeline runners' heartbeats in the embedded database (table <c>codepipeline_runners</c>). A data directory is served by
/// one server process, so the pipeline gate is that process's own and <see cref="LockPipelineAsync"/> holds nothing.
/// </summary>
public sealed class SqlitePipelineRunners(SqliteDatabase database) : IPipelineRunners
{
    /// <summary>The "pipeline-runners" schema steps. Append only.</summary>
    public static MigrationSet Migrations { get; } = new("pipeline-runners",
    [
        "CREATE TABLE codepipeline_runners (runner TEXT PRIMARY KEY, seen_at INTEGER NOT NULL)",
    ]);

    private static readonly IAsyncDisposable Nothing = new NoLock();

    public Task HeartbeatAsync(string runner, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.Execute(
            "INSERT INTO codepipeline_runners (runner, seen_at) VALUES (?, ?) ON CONFLICT (runner) DO UPDATE SET seen_at = excluded.seen_at",
            runner, now.ToUnixTimeMilliseconds()), cancellationToken);

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(database.Read(connection => connection.Query(
            "SELECT runner, seen_at FROM codepipeline_runners",
            row => (Runner: row.GetString(0), SeenAt: DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)))))
            .ToDictionary(r => r.Runner, r => r.SeenAt, StringComparer.Ordinal));

    public Task ForgetAsync(string runner, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.Execute("DELETE FROM codepipeline_runners WHERE runner = ?", runner), cancellationToken);

    public Task<IAsyncDisposable> LockPipelineAsync(string accountId, string region, string pipelineName, CancellationToken cancellationToken) =>
        Task.FromResult(Nothing);

    private sealed class NoLock : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
