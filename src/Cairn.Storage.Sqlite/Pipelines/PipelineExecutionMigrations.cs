namespace Cairn.Storage.Sqlite.Pipelines;

/// <summary>The "pipeline-executions" module's schema steps. Never edit a shipped step; append one.</summary>
public static class PipelineExecutionMigrations
{
    public static MigrationSet Set { get; } = new("pipeline-executions",
    [
        """
        CREATE TABLE codepipeline_executions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            pipeline TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            status TEXT NOT NULL,
            client_token TEXT,
            document TEXT NOT NULL,
            UNIQUE (account_id, region, pipeline, execution_id)
        );
        CREATE INDEX codepipeline_executions_active ON codepipeline_executions (status) WHERE status IN ('InProgress', 'Stopping');
        CREATE UNIQUE INDEX codepipeline_executions_token ON codepipeline_executions (account_id, region, pipeline, client_token) WHERE client_token IS NOT NULL;
        CREATE TABLE codepipeline_stage_entries (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            pipeline TEXT NOT NULL,
            stage TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            UNIQUE (account_id, region, pipeline, stage, execution_id, attempt)
        );
        CREATE TABLE codepipeline_transitions (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            pipeline TEXT NOT NULL,
            stage TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            reason TEXT,
            changed_by TEXT NOT NULL,
            changed_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, region, pipeline, stage)
        ) WITHOUT ROWID;
        """,
        // The executions' change number (SharedGeneration): an open pipeline page learns of another server's change.
        SharedGeneration.MigrationStep("codepipeline_generation", "codepipeline_executions", "codepipeline_transitions"),
        // The artifact sweep finds an execution by its id alone (its archives' keys name no account or region).
        "CREATE INDEX codepipeline_executions_id ON codepipeline_executions (execution_id);",
    ]);
}
