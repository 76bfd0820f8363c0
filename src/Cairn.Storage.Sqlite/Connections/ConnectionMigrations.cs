namespace Cairn.Storage.Sqlite.Connections;

/// <summary>The "connections" module's schema steps. Never edit a shipped step; append one.</summary>
public static class ConnectionMigrations
{
    public static MigrationSet Set { get; } = new("connections",
    [
        """
        CREATE TABLE codeconnections_connections (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            id TEXT NOT NULL,
            arn TEXT NOT NULL,
            name TEXT NOT NULL,
            provider_type TEXT,
            host_id TEXT,
            host_arn TEXT,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            tags TEXT NOT NULL,
            PRIMARY KEY (account_id, region, id)
        ) WITHOUT ROWID;
        CREATE TABLE codeconnections_hosts (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            id TEXT NOT NULL,
            arn TEXT NOT NULL,
            name TEXT NOT NULL,
            provider_type TEXT NOT NULL,
            provider_endpoint TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            tags TEXT NOT NULL,
            PRIMARY KEY (account_id, region, id)
        ) WITHOUT ROWID;
        CREATE TABLE codepipeline_source_revisions (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            pipeline TEXT NOT NULL,
            action TEXT NOT NULL,
            ref TEXT NOT NULL,
            revision TEXT NOT NULL,
            PRIMARY KEY (account_id, region, pipeline, action, ref)
        ) WITHOUT ROWID;
        """,
    ]);
}
