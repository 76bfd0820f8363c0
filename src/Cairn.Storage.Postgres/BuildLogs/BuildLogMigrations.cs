namespace Cairn.Storage.Postgres.BuildLogs;

/// <summary>
/// Build logs' schema, <c>cairn_buildlogs</c>: a head row per log (line count, bytes, first and last times, complete) and
/// one row per line keyed by (build, index), its text as UTF-8 bytes (output may hold any character, even NUL, which
/// text cannot), the time it was written and the byte offset its line ends at, as the file store's index has them.
/// The second index finds the first line of a time bound without reading the lines before it. Never edit a shipped step.
/// </summary>
public static class BuildLogMigrations
{
    public static PostgresMigrationSet Set { get; } = new("buildlogs",
    [
        """
        CREATE SCHEMA cairn_buildlogs;
        CREATE TABLE cairn_buildlogs.logs (
            build uuid PRIMARY KEY,
            line_count bigint NOT NULL DEFAULT 0,
            bytes bigint NOT NULL DEFAULT 0,
            first_ms bigint,
            last_ms bigint,
            complete boolean NOT NULL DEFAULT false);
        CREATE TABLE cairn_buildlogs.lines (
            build uuid NOT NULL,
            idx bigint NOT NULL,
            time_ms bigint NOT NULL,
            end_offset bigint NOT NULL,
            message bytea NOT NULL,
            PRIMARY KEY (build, idx));
        CREATE INDEX lines_time ON cairn_buildlogs.lines (build, time_ms, idx);
        """,
    ]);
}
