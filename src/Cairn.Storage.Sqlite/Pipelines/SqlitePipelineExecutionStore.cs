using System.Text.Json;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Changes;
using Cairn.Storage.Pipelines;

namespace Cairn.Storage.Sqlite.Pipelines;

/// <summary>
/// Pipeline executions in the embedded database (tables from <see cref="PipelineExecutionMigrations"/>): one row per
/// execution holding it whole as JSON, a row per stage entry (which execution entered a stage last), a row per changed
/// transition. Its change feed (<see cref="SharedGeneration"/> over <c>codepipeline_generation</c>, bumped by triggers on
/// the executions and transitions) moves at once on this process's writes and within a second of another process's.
/// </summary>
public sealed class SqlitePipelineExecutionStore(SqliteDatabase database, TimeSpan? otherProcessesDelay = null)
    : IPipelineExecutionStore, IChangeFeed<IPipelineExecutionStore>
{
    private readonly SharedGeneration _generation = new(database, "codepipeline_generation", otherProcessesDelay);

    public ValueTask<long> CurrentAsync(CancellationToken cancellationToken) => _generation.CurrentAsync(cancellationToken);

    // Computed members (CurrentStage, PipelineArn) are not stored.
    private static readonly JsonSerializerOptions Json = new() { IgnoreReadOnlyProperties = true };

    private const string Scoped = "account_id = ? AND region = ? AND pipeline = ?";

    public async Task<PipelineExecution> CreateAsync(PipelineExecution execution, CancellationToken cancellationToken) =>
        await WriteAsync(connection =>
        {
            if (execution.ClientRequestToken is { } token)
            {
                var existing = connection.QuerySingle(
                    $"SELECT document FROM codepipeline_executions WHERE {Scoped} AND client_token = ?",
                    Read, execution.Scope.AccountId, execution.Scope.Region, execution.PipelineName, token);
                if (existing is not null)
                {
                    return existing;
                }
            }

            connection.Execute(
                "INSERT INTO codepipeline_executions (account_id, region, pipeline, execution_id, status, client_token, document) VALUES (?, ?, ?, ?, ?, ?, ?)",
                execution.Scope.AccountId, execution.Scope.Region, execution.PipelineName, execution.ExecutionId, execution.Status,
                execution.ClientRequestToken, JsonSerializer.Serialize(execution, Json));
            RecordStageEntries(connection, execution);
            return execution;
        }, cancellationToken);

    public Task SaveAsync(PipelineExecution execution, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            connection.Execute(
                $"UPDATE codepipeline_executions SET status = ?, document = ? WHERE {Scoped} AND execution_id = ?",
                execution.Status, JsonSerializer.Serialize(execution, Json),
                execution.Scope.AccountId, execution.Scope.Region, execution.PipelineName, execution.ExecutionId);
            RecordStageEntries(connection, execution);
        }, cancellationToken);

    public Task<PipelineExecution?> GetAsync(PipelineScope scope, string pipelineName, string executionId, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection => connection.QuerySingle(
            $"SELECT document FROM codepipeline_executions WHERE {Scoped} AND execution_id = ?",
            Read, scope.AccountId, scope.Region, pipelineName, executionId)));

    public Task<IReadOnlyList<PipelineExecution>> FindAsync(IReadOnlyCollection<string> executionIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PipelineExecution>>(database.Read(connection => executionIds.Distinct(StringComparer.Ordinal)
            .SelectMany(id => connection.Query("SELECT document FROM codepipeline_executions WHERE execution_id = ?", Read, id)).ToList()));

    public Task<IReadOnlyList<PipelineExecution>> ListAsync(PipelineScope scope, string pipelineName, int skip, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PipelineExecution>>(database.Read(connection => connection.Query(
            $"SELECT document FROM codepipeline_executions WHERE {Scoped} ORDER BY seq DESC LIMIT ? OFFSET ?",
            Read, scope.AccountId, scope.Region, pipelineName, limit, skip)));

    public Task<IReadOnlyList<PipelineExecution>> ListActiveAsync(PipelineScope? scope, string? pipelineName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PipelineExecution>>(database.Read(connection => scope is null || pipelineName is null
            ? connection.Query("SELECT document FROM codepipeline_executions WHERE status IN ('InProgress', 'Stopping') ORDER BY seq", Read)
            : connection.Query(
                $"SELECT document FROM codepipeline_executions WHERE status IN ('InProgress', 'Stopping') AND {Scoped} ORDER BY seq",
                Read, scope.AccountId, scope.Region, pipelineName)));

    public Task<IReadOnlyDictionary<string, string>> LatestStageExecutionsAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(database.Read(connection => connection.Query(
            $"""
            SELECT stage, execution_id FROM codepipeline_stage_entries
            WHERE seq IN (SELECT MAX(seq) FROM codepipeline_stage_entries WHERE {Scoped} GROUP BY stage)
            """,
            row => (Stage: row.GetString(0), Execution: row.GetString(1)), scope.AccountId, scope.Region, pipelineName)
            .ToDictionary(e => e.Stage, e => e.Execution, StringComparer.Ordinal)));

    public Task SetTransitionAsync(PipelineScope scope, string pipelineName, StageTransition transition, CancellationToken cancellationToken) =>
        WriteAsync(connection => connection.Execute(
            """
            INSERT INTO codepipeline_transitions (account_id, region, pipeline, stage, enabled, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (account_id, region, pipeline, stage) DO UPDATE SET enabled = excluded.enabled, reason = excluded.reason,
              changed_by = excluded.changed_by, changed_at = excluded.changed_at
            """,
            scope.AccountId, scope.Region, pipelineName, transition.StageName, transition.Enabled, transition.DisabledReason,
            transition.LastChangedBy, transition.LastChangedAt), cancellationToken);

    public Task<IReadOnlyList<StageTransition>> ListTransitionsAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StageTransition>>(database.Read(connection => connection.Query(
            $"SELECT stage, enabled, reason, changed_by, changed_at FROM codepipeline_transitions WHERE {Scoped} ORDER BY stage",
            row => new StageTransition(row.GetString(0), row.GetBoolean(1), row.GetStringOrNull(2), row.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(4))),
            scope.AccountId, scope.Region, pipelineName)));

    public Task DeletePipelineAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            foreach (var table in (string[])["codepipeline_executions", "codepipeline_stage_entries", "codepipeline_transitions"])
            {
                connection.Execute($"DELETE FROM {table} WHERE {Scoped}", scope.AccountId, scope.Region, pipelineName);
            }
        }, cancellationToken);

    /// <summary>A write to the tables; the change number moves once it is committed (or failed: a spurious move only re-renders).</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        try
        {
            return await database.WriteAsync(work, cancellationToken);
        }
        finally
        {
            _generation.Moved();
        }
    }

    private Task WriteAsync(Action<SqliteConnection> work, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            work(connection);
            return true;
        }, cancellationToken);

    /// <summary>A stage entered (or entered again by a retry) gets a new row, so the highest seq per stage is the latest entry.</summary>
    private static void RecordStageEntries(SqliteConnection connection, PipelineExecution execution)
    {
        foreach (var stage in execution.Stages)
        {
            connection.Execute(
                "INSERT OR IGNORE INTO codepipeline_stage_entries (account_id, region, pipeline, stage, execution_id, attempt) VALUES (?, ?, ?, ?, ?, ?)",
                execution.Scope.AccountId, execution.Scope.Region, execution.PipelineName, stage.StageName, execution.ExecutionId, stage.Attempt);
        }
    }

    private static PipelineExecution Read(SqliteRow row) =>
        JsonSerializer.Deserialize<PipelineExecution>(row.GetString(0), Json) ?? throw new InvalidDataException("A stored pipeline execution is empty.");
}
