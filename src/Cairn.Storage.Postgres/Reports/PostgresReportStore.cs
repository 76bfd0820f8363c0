using System.Text.Json;
using Cairn.Storage.Reports;
using Npgsql;

namespace Cairn.Storage.Postgres.Reports;

/// <summary>
/// Report groups and reports in PostgreSQL (schema <c>cairn_reports</c>), each record as JSON, a report's test cases in a
/// column of their own. A group's update, deletion and new report read the group <c>FOR UPDATE</c>.
/// </summary>
public sealed class PostgresReportStore(PostgresDatabase database) : IReportStore
{
    /// <summary>The "reports" store's schema steps. Append only.</summary>
    public static PostgresMigrationSet Migrations { get; } = new("reports",
    [
        """
        CREATE SCHEMA cairn_reports;
        CREATE TABLE cairn_reports.report_groups (
            arn text COLLATE "C" PRIMARY KEY,
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            document text NOT NULL);
        CREATE INDEX report_groups_scope ON cairn_reports.report_groups (account_id, region);
        CREATE TABLE cairn_reports.reports (
            seq bigserial PRIMARY KEY,
            arn text COLLATE "C" NOT NULL UNIQUE,
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            report_group_arn text COLLATE "C" NOT NULL,
            execution_id text COLLATE "C" NOT NULL,
            document text NOT NULL,
            test_cases text NOT NULL);
        CREATE INDEX reports_scope ON cairn_reports.reports (account_id, region, seq);
        CREATE INDEX reports_group ON cairn_reports.reports (report_group_arn, seq);
        CREATE INDEX reports_build ON cairn_reports.reports (execution_id, seq);
        """,
    ]);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<bool> CreateReportGroupAsync(ReportGroupRecord group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return database.WriteAsync(async session => await session.ExecuteAsync(
            "INSERT INTO cairn_reports.report_groups (arn, account_id, region, document) VALUES ($1, $2, $3, $4) ON CONFLICT (arn) DO NOTHING",
            group.Arn, group.AccountId, group.Region, JsonSerializer.Serialize(group, Json)).ConfigureAwait(false) > 0, cancellationToken);
    }

    public Task<ReportGroupRecord?> GetReportGroupAsync(string arn, CancellationToken cancellationToken) =>
        database.ReadAsync(session => session.QuerySingleAsync("SELECT document FROM cairn_reports.report_groups WHERE arn = $1", ReadGroup, arn), cancellationToken);

    public async Task<IReadOnlyList<ReportGroupRecord>> ListReportGroupsAsync(string accountId, string region, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            "SELECT document FROM cairn_reports.report_groups WHERE account_id = $1 AND region = $2 ORDER BY arn", ReadGroup, accountId, region), cancellationToken).ConfigureAwait(false);

    public Task<ReportGroupRecord?> UpdateReportGroupAsync(string arn, Func<ReportGroupRecord, ReportGroupRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.WriteAsync(async session =>
        {
            if (await session.QuerySingleAsync("SELECT document FROM cairn_reports.report_groups WHERE arn = $1 FOR UPDATE", ReadGroup, arn).ConfigureAwait(false) is not { } current)
            {
                return null;
            }

            var changed = change(current) with { Arn = current.Arn, AccountId = current.AccountId, Region = current.Region };
            await session.ExecuteAsync("UPDATE cairn_reports.report_groups SET document = $1 WHERE arn = $2", JsonSerializer.Serialize(changed, Json), arn).ConfigureAwait(false);
            return changed;
        }, cancellationToken);
    }

    public Task<ReportGroupDeletion> DeleteReportGroupAsync(string arn, bool deleteReports, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            if (await session.QuerySingleAsync("SELECT 1 FROM cairn_reports.report_groups WHERE arn = $1 FOR UPDATE", r => r.GetInt32(0), arn).ConfigureAwait(false) != 1)
            {
                return ReportGroupDeletion.NotFound;
            }

            if (!deleteReports
                && await session.QuerySingleAsync("SELECT 1 FROM cairn_reports.reports WHERE report_group_arn = $1 LIMIT 1", r => r.GetInt32(0), arn).ConfigureAwait(false) == 1)
            {
                return ReportGroupDeletion.HasReports;
            }

            await session.ExecuteAsync("DELETE FROM cairn_reports.reports WHERE report_group_arn = $1", arn).ConfigureAwait(false);
            await session.ExecuteAsync("DELETE FROM cairn_reports.report_groups WHERE arn = $1", arn).ConfigureAwait(false);
            return ReportGroupDeletion.Deleted;
        }, cancellationToken);

    public Task<bool> AddReportAsync(ReportRecord report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        return database.WriteAsync(async session =>
        {
            var group = await session.QuerySingleAsync(
                "SELECT document FROM cairn_reports.report_groups WHERE arn = $1 FOR SHARE", ReadGroup, report.ReportGroupArn).ConfigureAwait(false);
            return group is not null && await session.ExecuteAsync(
                "INSERT INTO cairn_reports.reports (arn, account_id, region, report_group_arn, execution_id, document, test_cases) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (arn) DO NOTHING",
                report.Arn, group.AccountId, group.Region, report.ReportGroupArn, report.ExecutionId,
                JsonSerializer.Serialize(report with { TestCases = [] }, Json), JsonSerializer.Serialize(report.TestCases, Json)).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    public Task<ReportRecord?> GetReportAsync(string arn, CancellationToken cancellationToken) =>
        database.ReadAsync(session => session.QuerySingleAsync("SELECT document, test_cases FROM cairn_reports.reports WHERE arn = $1", ReadReport, arn), cancellationToken);

    public async Task<IReadOnlyList<ReportRecord>> ListReportsAsync(string accountId, string region, string? reportGroupArn, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => reportGroupArn is null
            ? session.QueryAsync("SELECT document FROM cairn_reports.reports WHERE account_id = $1 AND region = $2 ORDER BY seq", ReadSummary, accountId, region)
            : session.QueryAsync("SELECT document FROM cairn_reports.reports WHERE account_id = $1 AND region = $2 AND report_group_arn = $3 ORDER BY seq",
                ReadSummary, accountId, region, reportGroupArn), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ReportRecord>> ListReportsForBuildAsync(string buildArn, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            "SELECT document, test_cases FROM cairn_reports.reports WHERE execution_id = $1 ORDER BY seq", ReadReport, buildArn), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> ListReportArnsForBuildAsync(string buildArn, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            "SELECT arn FROM cairn_reports.reports WHERE execution_id = $1 ORDER BY seq", row => row.GetString(0), buildArn), cancellationToken).ConfigureAwait(false);

    public Task<bool> DeleteReportAsync(string arn, CancellationToken cancellationToken) =>
        database.WriteAsync(async session => await session.ExecuteAsync("DELETE FROM cairn_reports.reports WHERE arn = $1", arn).ConfigureAwait(false) > 0, cancellationToken);

    private static ReportGroupRecord ReadGroup(NpgsqlDataReader row) =>
        JsonSerializer.Deserialize<ReportGroupRecord>(row.GetString(0), Json) ?? throw new InvalidDataException("empty report group row");

    private static ReportRecord ReadSummary(NpgsqlDataReader row) =>
        JsonSerializer.Deserialize<ReportRecord>(row.GetString(0), Json) ?? throw new InvalidDataException("empty report row");

    private static ReportRecord ReadReport(NpgsqlDataReader row) =>
        ReadSummary(row) with { TestCases = JsonSerializer.Deserialize<List<TestCaseRecord>>(row.GetString(1), Json) ?? [] };
}
