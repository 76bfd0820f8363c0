namespace Cairn.Storage.Sqlite.Reports;

/// <summary>The "reports" module's schema steps. Never edit a shipped step; append one.</summary>
public static class ReportMigrations
{
    public static MigrationSet Set { get; } = new("reports",
    [
        """
        CREATE TABLE codebuild_report_groups (
            arn TEXT NOT NULL PRIMARY KEY,
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            document TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX codebuild_report_groups_scope ON codebuild_report_groups (account_id, region);
        CREATE TABLE codebuild_reports (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            arn TEXT NOT NULL UNIQUE,
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            report_group_arn TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            document TEXT NOT NULL,
            test_cases TEXT NOT NULL
        );
        CREATE INDEX codebuild_reports_scope ON codebuild_reports (account_id, region, seq);
        CREATE INDEX codebuild_reports_group ON codebuild_reports (report_group_arn, seq);
        CREATE INDEX codebuild_reports_build ON codebuild_reports (execution_id, seq);
        """,
    ]);
}
