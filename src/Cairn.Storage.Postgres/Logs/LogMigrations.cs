namespace Cairn.Storage.Postgres.Logs;

/// <summary>
/// CloudWatch Logs' schema, <c>cairn_logs</c>. Never edit a shipped step; append one. Unlike SQLite's first step, it makes
/// no groups for earlier builds: a PostgreSQL database has had no builds before this store.
/// </summary>
public static class LogMigrations
{
    public static PostgresMigrationSet Set { get; } = new("logs",
    [
        """
        CREATE SCHEMA cairn_logs;
        CREATE TABLE cairn_logs.groups (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            name text COLLATE "C" NOT NULL,
            created_at bigint NOT NULL,
            retention_days integer,
            log_group_class text NOT NULL,
            kms_key_id text,
            deletion_protection boolean NOT NULL,
            tags text NOT NULL,
            PRIMARY KEY (account_id, region, name));
        CREATE TABLE cairn_logs.streams (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            group_name text COLLATE "C" NOT NULL,
            name text COLLATE "C" NOT NULL,
            created_at bigint NOT NULL,
            build_uuid text,
            first_event_time bigint,
            last_event_time bigint,
            last_ingestion_time bigint,
            next_index bigint NOT NULL DEFAULT 0,
            stored_bytes bigint NOT NULL DEFAULT 0,
            UNIQUE (account_id, region, group_name, name));
        CREATE TABLE cairn_logs.events (
            stream_id bigint NOT NULL,
            idx bigint NOT NULL,
            time bigint NOT NULL,
            ingestion_time bigint NOT NULL,
            message text NOT NULL,
            PRIMARY KEY (stream_id, idx));
        CREATE INDEX events_time ON cairn_logs.events (stream_id, time);
        """,
    ]);
}
