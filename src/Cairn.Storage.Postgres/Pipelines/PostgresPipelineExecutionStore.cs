using System.Text.Json;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Changes;
using Cairn.Storage.Pipelines;
using Cairn.Storage.Postgres.Notifications;
using Npgsql;

namespace Cairn.Storage.Postgres.Pipelines;

/// <summary>
/// Pipeline executions in PostgreSQL (schema <c>cairn_pipeline_executions</c>): one row per execution holding it whole as
/// JSON (as in SQLite), a row per stage entry (which execution entered a stage last), a row per changed transition.
/// Its change feed is a number moved in memory by the NOTIFY that triggers on executions and transitions send in each
/// writing transaction (<see cref="Channel"/>), from any server: an open pipeline page sees another server's change at
/// once, without asking the database.
/// </summary>
public sealed class PostgresPipelineExecutionStore(PostgresDatabase database, PostgresNotifications notifications)
    : IPipelineExecutionStore, IChangeFeed<IPipelineExecutionStore>
{
    /// <summary>The channel a write to executions or transitions notifies (once per transaction: PostgreSQL folds equal notifications).</summary>
    public const string Channel = "cairn_pipeline_executions";

    private readonly Lock _gate = new();
    private Task? _subscribed;
    private long _changes;

    /// <summary>The "pipeline-executions" store's schema steps. Append only.</summary>
    public static PostgresMigrationSet Migrations { get; } = new("pipeline-executions",
    [
        """
        CREATE SCHEMA cairn_pipeline_executions;
        CREATE TABLE cairn_pipeline_executions.executions (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            pipeline text COLLATE "C" NOT NULL,
            execution_id text NOT NULL,
            status text NOT NULL,
            client_token text,
            document text NOT NULL,
            UNIQUE (account_id, region, pipeline, execution_id));
        CREATE INDEX executions_active ON cairn_pipeline_executions.executions (seq) WHERE status IN ('InProgress', 'Stopping');
        CREATE INDEX executions_pipeline ON cairn_pipeline_executions.executions (account_id, region, pipeline, seq);
        CREATE UNIQUE INDEX executions_token ON cairn_pipeline_executions.executions (account_id, region, pipeline, client_token) WHERE client_token IS NOT NULL;
        CREATE TABLE cairn_pipeline_executions.stage_entries (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            pipeline text COLLATE "C" NOT NULL,
            stage text COLLATE "C" NOT NULL,
            execution_id text NOT NULL,
            attempt integer NOT NULL,
            UNIQUE (account_id, region, pipeline, stage, execution_id, attempt));
        CREATE TABLE cairn_pipeline_executions.transitions (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            pipeline text COLLATE "C" NOT NULL,
            stage text COLLATE "C" NOT NULL,
            enabled boolean NOT NULL,
            reason text,
            changed_by text NOT NULL,
            changed_at bigint NOT NULL,
            PRIMARY KEY (account_id, region, pipeline, stage));
        """,
        """
        CREATE FUNCTION cairn_pipeline_executions.notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('cairn_pipeline_executions', '');
            RETURN NULL;
        END $$;
        CREATE TRIGGER executions_changed AFTER INSERT OR UPDATE OR DELETE ON cairn_pipeline_executions.executions
            FOR EACH STATEMENT EXECUTE FUNCTION cairn_pipeline_executions.notify_change();
        CREATE TRIGGER transitions_changed AFTER INSERT OR UPDATE OR DELETE ON cairn_pipeline_executions.transitions
            FOR EACH STATEMENT EXECUTE FUNCTION cairn_pipeline_executions.notify_change();
        """,
        // The artifact sweep finds an execution by its id alone (its archives' keys name no account or region).
        "CREATE INDEX executions_id ON cairn_pipeline_executions.executions (execution_id);",
    ]);

    // Computed members (CurrentStage, PipelineArn) are not stored.
    private static readonly JsonSerializerOptions Json = new() { IgnoreReadOnlyProperties = true };

    private const string Scoped = "account_id = $1 AND region = $2 AND pipeline = $3";

    /// <summary>
    /// The number of changes this server was notified of. The first call subscribes (and waits for the LISTEN), so a change
    /// committed after it returns moves the number; a lost listening connection moves it too (something may have changed).
    /// </summary>
    public async ValueTask<long> CurrentAsync(CancellationToken cancellationToken)
    {
        Task subscribed;
        lock (_gate)
        {
            subscribed = _subscribed is { IsFaulted: false, IsCanceled: false } ? _subscribed : (_subscribed = SubscribeAsync());
        }

        await subscribed.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Interlocked.Read(ref _changes);
    }

    // The subscription lasts as long as the server's notifications: the store is a singleton beside them.
    private Task SubscribeAsync() =>
        notifications.SubscribeAsync(Channel, _ => Interlocked.Increment(ref _changes), CancellationToken.None);

    public Task<PipelineExecution> CreateAsync(PipelineExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return database.WriteAsync(async session =>
        {
            if (execution.ClientRequestToken is { } token)
            {
                // Two StartPipelineExecutions with one token on two servers: the second waits, then finds the first one's execution.
                await session.ExecuteAsync(
                    "SELECT pg_advisory_xact_lock(hashtextextended('cairn_pipeline_executions/' || $1 || '/' || $2 || '/' || $3 || '/' || $4, 0))",
                    execution.Scope.AccountId, execution.Scope.Region, execution.PipelineName, token).ConfigureAwait(false);
                var existing = await session.QuerySingleAsync(
                    $"SELECT document FROM cairn_pipeline_executions.executions WHERE {Scoped} AND client_token = $4",
                    Read, execution.Scope.AccountId, execution.Scope.Region, execution.PipelineName, token).ConfigureAwait(false);
                if (existing is not null)
                {
                    return existing;
                }
            }

            await session.ExecuteAsync(
                "INSERT INTO cairn_pipeline_executions.executions (account_id, region, pipeline, execution_id, status, client_token, document) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                execution.Scope.AccountId, execution.Scope.Region, execution.PipelineName, execution.ExecutionId, execution.Status,
                execution.ClientRequestToken, JsonSerializer.Serialize(execution, Json)).ConfigureAwait(false);
            await RecordStageEntriesAsync(session, execution).ConfigureAwait(false);
            return execution;
        }, cancellationToken);
    }

    public Task SaveAsync(PipelineExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return database.WriteAsync(async session =>
        {
            await session.ExecuteAsync(
                $"UPDATE cairn_pipeline_executions.executions SET status = $5, document = $6 WHERE {Scoped} AND execution_id = $4",
                execution.Scope.AccountId, execution.Scope.Region, execution.PipelineName, execution.ExecutionId,
                execution.Status, JsonSerializer.Serialize(execution, Json)).ConfigureAwait(false);
            await RecordStageEntriesAsync(session, execution).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<PipelineExecution?> GetAsync(PipelineScope scope, string pipelineName, string executionId, CancellationToken cancellationToken) =>
        database.ReadAsync(session => session.QuerySingleAsync(
            $"SELECT document FROM cairn_pipeline_executions.executions WHERE {Scoped} AND execution_id = $4",
            Read, scope.AccountId, scope.Region, pipelineName, executionId), cancellationToken);

    public async Task<IReadOnlyList<PipelineExecution>> FindAsync(IReadOnlyCollection<string> executionIds, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            "SELECT document FROM cairn_pipeline_executions.executions WHERE execution_id = ANY($1)", Read,
            // One text[] argument: a bare string[] would be taken as the params array itself.
            (object)executionIds.Distinct(StringComparer.Ordinal).ToArray()),
            cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<PipelineExecution>> ListAsync(PipelineScope scope, string pipelineName, int skip, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            $"SELECT document FROM cairn_pipeline_executions.executions WHERE {Scoped} ORDER BY seq DESC LIMIT $4 OFFSET $5",
            Read, scope.AccountId, scope.Region, pipelineName, limit, skip), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<PipelineExecution>> ListActiveAsync(PipelineScope? scope, string? pipelineName, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => scope is null || pipelineName is null
            ? session.QueryAsync("SELECT document FROM cairn_pipeline_executions.executions WHERE status IN ('InProgress', 'Stopping') ORDER BY seq", Read)
            : session.QueryAsync(
                $"SELECT document FROM cairn_pipeline_executions.executions WHERE status IN ('InProgress', 'Stopping') AND {Scoped} ORDER BY seq",
                Read, scope.AccountId, scope.Region, pipelineName), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyDictionary<string, string>> LatestStageExecutionsAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken) =>
        (await database.ReadAsync(session => session.QueryAsync(
            $"""
            SELECT DISTINCT ON (stage) stage, execution_id FROM cairn_pipeline_executions.stage_entries
            WHERE {Scoped} ORDER BY stage, seq DESC
            """,
            row => (Stage: row.GetString(0), Execution: row.GetString(1)), scope.AccountId, scope.Region, pipelineName), cancellationToken).ConfigureAwait(false))
            .ToDictionary(e => e.Stage, e => e.Execution, StringComparer.Ordinal);

    public Task SetTransitionAsync(PipelineScope scope, string pipelineName, StageTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return database.WriteAsync(session => session.ExecuteAsync(
            """
            INSERT INTO cairn_pipeline_executions.transitions (account_id, region, pipeline, stage, enabled, reason, changed_by, changed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (account_id, region, pipeline, stage) DO UPDATE SET enabled = excluded.enabled, reason = excluded.reason,
              changed_by = excluded.changed_by, changed_at = excluded.changed_at
            """,
            scope.AccountId, scope.Region, pipelineName, transition.StageName, transition.Enabled, transition.DisabledReason,
            transition.LastChangedBy, transition.LastChangedAt), cancellationToken);
    }

    public async Task<IReadOnlyList<StageTransition>> ListTransitionsAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            $"SELECT stage, enabled, reason, changed_by, changed_at FROM cairn_pipeline_executions.transitions WHERE {Scoped} ORDER BY stage",
            row => new StageTransition(row.GetString(0), row.GetBoolean(1), row.IsDBNull(2) ? null : row.GetString(2), row.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(4))),
            scope.AccountId, scope.Region, pipelineName), cancellationToken).ConfigureAwait(false);

    public Task DeletePipelineAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            foreach (var table in (string[])["executions", "stage_entries", "transitions"])
            {
                await session.ExecuteAsync($"DELETE FROM cairn_pipeline_executions.{table} WHERE {Scoped}", scope.AccountId, scope.Region, pipelineName).ConfigureAwait(false);
            }
        }, cancellationToken);

    /// <summary>A stage entered (or entered again by a retry) gets a new row, so the highest seq per stage is the latest entry.</summary>
    private static async Task RecordStageEntriesAsync(PostgresSession session, PipelineExecution execution)
    {
        foreach (var stage in execution.Stages)
        {
            await session.ExecuteAsync(
                "INSERT INTO cairn_pipeline_executions.stage_entries (account_id, region, pipeline, stage, execution_id, attempt) VALUES ($1, $2, $3, $4, $5, $6) "
                + "ON CONFLICT DO NOTHING",
                execution.Scope.AccountId, execution.Scope.Region, execution.PipelineName, stage.StageName, execution.ExecutionId, stage.Attempt).ConfigureAwait(false);
        }
    }

    private static PipelineExecution Read(NpgsqlDataReader row) =>
        JsonSerializer.Deserialize<PipelineExecution>(row.GetString(0), Json) ?? throw new InvalidDataException("A stored pipeline execution is empty.");
}
