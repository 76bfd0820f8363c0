namespace Cairn.Storage.Sqlite.Logs;

/// <summary>
/// The "logs" module's schema steps. Never edit a shipped step; append one. The first step also makes the log groups and
/// streams of the builds that ran before it (group /aws/codebuild/&lt;project&gt;, stream = uuid), so it runs after the
/// builds module's (<see cref="SqliteStorage.Migrations"/>).
/// </summary>
public static class LogMigrations
{
    public static MigrationSet Set { get; } = new("logs",
    [
        """
        CREATE TABLE logs_groups (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            retention_days INTEGER,
            log_group_class TEXT NOT NULL,
            kms_key_id TEXT,
            deletion_protection INTEGER NOT NULL,
            tags TEXT NOT NULL,
            PRIMARY KEY (account_id, region, name)
        ) WITHOUT ROWID;
        CREATE TABLE logs_streams (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            group_name TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            build_uuid TEXT,
            first_event_time INTEGER,
            last_event_time INTEGER,
            last_ingestion_time INTEGER,
            next_index INTEGER NOT NULL DEFAULT 0,
            stored_bytes INTEGER NOT NULL DEFAULT 0,
            UNIQUE (account_id, region, group_name, name)
        );
        CREATE TABLE logs_events (
            stream_id INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            time INTEGER NOT NULL,
            ingestion_time INTEGER NOT NULL,
            message TEXT NOT NULL,
            PRIMARY KEY (stream_id, idx)
        ) WITHOUT ROWID;
        CREATE INDEX logs_events_time ON logs_events (stream_id, time);
        INSERT INTO logs_groups (account_id, region, name, created_at, retention_days, log_group_class, kms_key_id, deletion_protection, tags)
            SELECT account_id, region, '/aws/codebuild/' || project_name, MIN(start_time), NULL, 'STANDARD', NULL, 0, '{}'
            FROM codebuild_builds GROUP BY account_id, region, project_name;
        INSERT INTO logs_streams (account_id, region, group_name, name, created_at, build_uuid)
            SELECT account_id, region, '/aws/codebuild/' || project_name, uuid, start_time, uuid FROM codebuild_builds;
        """,
    ]);
}
