namespace Cairn.Storage.Sqlite.Pipelines;

/// <summary>The "pipelines" module's schema steps. Never edit a shipped step; append one.</summary>
public static class PipelineMigrations
{
    public static MigrationSet Set { get; } = new("pipelines",
    [
        """
        CREATE TABLE codepipeline_pipelines (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            tags TEXT NOT NULL,
            PRIMARY KEY (account_id, region, name)
        ) WITHOUT ROWID;
        CREATE TABLE codepipeline_pipeline_versions (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            declaration TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, region, name, version)
        ) WITHOUT ROWID;
        """,
    ]);
}
