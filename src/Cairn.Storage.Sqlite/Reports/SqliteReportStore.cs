using System.Text.Json;
using Cairn.Storage.Reports;

namespace Cairn.Storage.Sqlite.Reports;

/// <summary>Report groups and reports in the embedded database (tables from <see cref="ReportMigrations"/>); each row's record as JSON, a report's test cases in a column of their own.</summary>
public sealed class SqliteReportStore(SqliteDatabase database) : IReportStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<bool> CreateReportGroupAsync(ReportGroupRecord group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return await database.WriteAsync(c =>
        {
            if (c.QuerySingle("SELECT 1 FROM codebuild_report_groups WHERE arn = ?", r => r.GetInt32(0), group.Arn) == 1)
            {
                return false;
            }

            c.Execute("INSERT INTO codebuild_report_groups (arn, account_id, region, document) VALUES (?, ?, ?, ?)",
                group.Arn, group.AccountId, group.Region, JsonSerializer.Serialize(group, Json));
            return true;
        }, cancellationToken);
    }

    public Task<ReportGroupRecord?> GetReportGroupAsync(string arn, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(c => c.QuerySingle("SELECT document FROM codebuild_report_groups WHERE arn = ?", ReadGroup, arn)));

    public Task<IReadOnlyList<ReportGroupRecord>> ListReportGroupsAsync(string accountId, string region, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReportGroupRecord>>(database.Read(c => c.Query(
            "SELECT document FROM codebuild_report_groups WHERE account_id = ? AND region = ? ORDER BY arn", ReadGroup, accountId, region)));

    public async Task<ReportGroupRecord?> UpdateReportGroupAsync(string arn, Func<ReportGroupRecord, ReportGroupRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return await database.WriteAsync(c =>
        {
            if (c.QuerySingle("SELECT document FROM codebuild_report_groups WHERE arn = ?", ReadGroup, arn) is not { } current)
            {
                return null;
            }

            var changed = change(current) with { Arn = current.Arn, AccountId = current.AccountId, Region = current.Region };
            c.Execute("UPDATE codebuild_report_groups SET document = ? WHERE arn = ?", JsonSerializer.Serialize(changed, Json), arn);
            return changed;
        }, cancellationToken);
    }

    public async Task<ReportGroupDeletion> DeleteReportGroupAsync(string arn, bool deleteReports, CancellationToken cancellationToken) =>
        await database.WriteAsync(c =>
        {
            if (c.QuerySingle("SELECT 1 FROM codebuild_report_groups WHERE arn = ?", r => r.GetInt32(0), arn) != 1)
            {
                return ReportGroupDeletion.NotFound;
            }

            if (!deleteReports && c.QuerySingle("SELECT 1 FROM codebuild_reports WHERE report_group_arn = ? LIMIT 1", r => r.GetInt32(0), arn) == 1)
            {
                return ReportGroupDeletion.HasReports;
            }

            c.Execute("DELETE FROM codebuild_reports WHERE report_group_arn = ?", arn);
            c.Execute("DELETE FROM codebuild_report_groups WHERE arn = ?", arn);
            return ReportGroupDeletion.Deleted;
        }, cancellationToken);

    public async Task<bool> AddReportAsync(ReportRecord report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        return await database.WriteAsync(c =>
        {
            var group = c.QuerySingle("SELECT document FROM codebuild_report_groups WHERE arn = ?", ReadGroup, report.ReportGroupArn);
            if (group is null || c.QuerySingle("SELECT 1 FROM codebuild_reports WHERE arn = ?", r => r.GetInt32(0), report.Arn) == 1)
            {
                return false;
            }

            c.Execute(
                "INSERT INTO codebuild_reports (arn, account_id, region, report_group_arn, execution_id, document, test_cases) VALUES (?, ?, ?, ?, ?, ?, ?)",
                report.Arn, group.AccountId, group.Region, report.ReportGroupArn, report.ExecutionId,
                JsonSerializer.Serialize(report with { TestCases = [] }, Json), JsonSerializer.Serialize(report.TestCases, Json));
            return true;
        }, cancellationToken);
    }

    public Task<ReportRecord?> GetReportAsync(string arn, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(c => c.QuerySingle("SELECT document, test_cases FROM codebuild_reports WHERE arn = ?", ReadReport, arn)));

    public Task<IReadOnlyList<ReportRecord>> ListReportsAsync(string accountId, string region, string? reportGroupArn, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReportRecord>>(database.Read(c => reportGroupArn is null
            ? c.Query("SELECT document FROM codebuild_reports WHERE account_id = ? AND region = ? ORDER BY seq", ReadSummary, accountId, region)
            : c.Query("SELECT document FROM codebuild_reports WHERE account_id = ? AND region = ? AND report_group_arn = ? ORDER BY seq",
                ReadSummary, accountId, region, reportGroupArn)));

    public Task<IReadOnlyList<ReportRecord>> ListReportsForBuildAsync(string buildArn, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReportRecord>>(database.Read(c => c.Query(
            "SELECT document, test_cases FROM codebuild_reports WHERE execution_id = ? ORDER BY seq", ReadReport, buildArn)));

    public Task<IReadOnlyList<string>> ListReportArnsForBuildAsync(string buildArn, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(database.Read(c => c.Query(
            "SELECT arn FROM codebuild_reports WHERE execution_id = ? ORDER BY seq", row => row.GetString(0), buildArn)));

    public async Task<bool> DeleteReportAsync(string arn, CancellationToken cancellationToken) =>
        await database.WriteAsync(c => c.Execute("DELETE FROM codebuild_reports WHERE arn = ?", arn) > 0, cancellationToken);

    private static ReportGroupRecord ReadGroup(SqliteRow row) =>
        JsonSerializer.Deserialize<ReportGroupRecord>(row.GetString(0), Json) ?? throw new InvalidDataException("empty report group row");

    private static ReportRecord ReadSummary(SqliteRow row) =>
        JsonSerializer.Deserialize<ReportRecord>(row.GetString(0), Json) ?? throw new InvalidDataException("empty report row");

    private static ReportRecord ReadReport(SqliteRow row) =>
        ReadSummary(row) with { TestCases = JsonSerializer.Deserialize<List<TestCaseRecord>>(row.GetString(1), Json) ?? [] };
}
