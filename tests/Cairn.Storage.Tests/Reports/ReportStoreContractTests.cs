using Cairn.Storage.Reports;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Reports;

/// <summary>What every IReportStore must do; each backend runs this suite through a subclass.</summary>
public abstract class ReportStoreContractTests
{
    private const string Account = "111122223333";
    private const string Region = "us-east-1";
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    protected abstract IReportStore Store { get; }

    private static ReportGroupRecord Group(string name, string region = Region) =>
        new($"arn:aws:codebuild:{region}:{Account}:report-group/{name}", name, Account, region, "TEST", """{"exportConfigType":"NO_EXPORT"}""",
            Created, Created, [new("team", "web")]);

    private static ReportRecord Report(ReportGroupRecord group, string build = "app:1", params TestCaseRecord[] cases) =>
        new($"arn:aws:codebuild:{group.Region}:{Account}:report/{group.Name}:{Guid.NewGuid()}", group.Arn, group.Name, "TEST",
            $"arn:aws:codebuild:{group.Region}:{Account}:build/{build}", cases.Any(c => c.Status == "FAILED") ? "FAILED" : "SUCCEEDED", Created, 1_500_000,
            new Dictionary<string, int>(StringComparer.Ordinal) { ["SUCCEEDED"] = cases.Count(c => c.Status == "SUCCEEDED"), ["FAILED"] = cases.Count(c => c.Status == "FAILED") },
            cases.Length, null, null, cases);

    private static TestCaseRecord Case(string name, string status, string? message = null) =>
        new(name, "com.example.AppTest", status, 500_000, message, "suite", null);

    [StoreFact]
    public async Task A_created_report_group_is_read_back_and_a_second_with_its_arn_is_refused()
    {
        var group = Group("app-unit");
        Assert.True(await Store.CreateReportGroupAsync(group, CancellationToken.None));
        Assert.False(await Store.CreateReportGroupAsync(group with { Type = "CODE_COVERAGE" }, CancellationToken.None));

        var read = await Store.GetReportGroupAsync(group.Arn, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(group with { Tags = [] }, read with { Tags = [] });
        Assert.Equal(group.Tags, read.Tags);
        Assert.Null(await Store.GetReportGroupAsync(Group("other").Arn, CancellationToken.None));
    }

    [StoreFact]
    public async Task Report_groups_are_listed_per_account_and_region()
    {
        await Store.CreateReportGroupAsync(Group("b"), CancellationToken.None);
        await Store.CreateReportGroupAsync(Group("a"), CancellationToken.None);
        await Store.CreateReportGroupAsync(Group("c", "eu-west-1"), CancellationToken.None);

        var listed = await Store.ListReportGroupsAsync(Account, Region, CancellationToken.None);

        Assert.Equal(["a", "b"], listed.Select(g => g.Name).Order(StringComparer.Ordinal));
    }

    [StoreFact]
    public async Task Updating_a_group_keeps_its_identity_and_a_missing_group_is_null()
    {
        var group = Group("app-unit");
        await Store.CreateReportGroupAsync(group, CancellationToken.None);
        var later = Created.AddHours(1);

        var updated = await Store.UpdateReportGroupAsync(group.Arn, g => g with { Arn = "changed", LastModified = later, Tags = [] }, CancellationToken.None);

        Assert.Equal(group.Arn, updated?.Arn);
        Assert.Equal(later, (await Store.GetReportGroupAsync(group.Arn, CancellationToken.None))?.LastModified);
        Assert.Empty((await Store.GetReportGroupAsync(group.Arn, CancellationToken.None))!.Tags);
        Assert.Null(await Store.UpdateReportGroupAsync(Group("none").Arn, g => g, CancellationToken.None));
    }

    [StoreFact]
    public async Task A_report_keeps_its_test_cases_and_listings_leave_them_out()
    {
        var group = Group("app-unit");
        await Store.CreateReportGroupAsync(group, CancellationToken.None);
        var report = Report(group, "app:1", Case("adds", "SUCCEEDED"), Case("divides", "FAILED", "expected 2 but was 3"));
        Assert.True(await Store.AddReportAsync(report, CancellationToken.None));
        Assert.False(await Store.AddReportAsync(report, CancellationToken.None));

        var read = await Store.GetReportAsync(report.Arn, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(report.TestCases, read.TestCases);
        Assert.Equal(report.StatusCounts, read.StatusCounts);
        Assert.Equal((report.Status, report.Total, report.DurationInNanoSeconds, report.ExecutionId), (read.Status, read.Total, read.DurationInNanoSeconds, read.ExecutionId));

        var listed = Assert.Single(await Store.ListReportsAsync(Account, Region, null, CancellationToken.None));
        Assert.Equal(report.Arn, listed.Arn);
        Assert.Empty(listed.TestCases);
    }

    [StoreFact]
    public async Task A_report_of_a_missing_group_is_refused()
    {
        Assert.False(await Store.AddReportAsync(Report(Group("none")), CancellationToken.None));
        Assert.Empty(await Store.ListReportsAsync(Account, Region, null, CancellationToken.None));
    }

    [StoreFact]
    public async Task Reports_are_listed_oldest_first_per_group_and_per_build()
    {
        var unit = Group("unit");
        var integration = Group("integration");
        await Store.CreateReportGroupAsync(unit, CancellationToken.None);
        await Store.CreateReportGroupAsync(integration, CancellationToken.None);
        var first = Report(unit, "app:1", Case("a", "SUCCEEDED"));
        var second = Report(integration, "app:1", Case("b", "FAILED"));
        var third = Report(unit, "app:2");
        foreach (var report in new[] { first, second, third })
        {
            await Store.AddReportAsync(report, CancellationToken.None);
        }

        Assert.Equal([first.Arn, second.Arn, third.Arn], (await Store.ListReportsAsync(Account, Region, null, CancellationToken.None)).Select(r => r.Arn));
        Assert.Equal([first.Arn, third.Arn], (await Store.ListReportsAsync(Account, Region, unit.Arn, CancellationToken.None)).Select(r => r.Arn));
        var ofBuild = await Store.ListReportsForBuildAsync(first.ExecutionId, CancellationToken.None);
        Assert.Equal([first.Arn, second.Arn], ofBuild.Select(r => r.Arn));
        Assert.Equal(["a", "b"], ofBuild.SelectMany(r => r.TestCases).Select(c => c.Name));
        Assert.Equal([first.Arn, second.Arn], await Store.ListReportArnsForBuildAsync(first.ExecutionId, CancellationToken.None));
        Assert.Empty(await Store.ListReportArnsForBuildAsync("arn:aws:codebuild:us-east-1:000000000000:build/app:9", CancellationToken.None));
        Assert.Empty(await Store.ListReportsAsync(Account, "eu-west-1", null, CancellationToken.None));
    }

    [StoreFact]
    public async Task A_group_with_reports_is_deleted_only_with_them()
    {
        var group = Group("unit");
        await Store.CreateReportGroupAsync(group, CancellationToken.None);
        var report = Report(group);
        await Store.AddReportAsync(report, CancellationToken.None);

        Assert.Equal(ReportGroupDeletion.HasReports, await Store.DeleteReportGroupAsync(group.Arn, false, CancellationToken.None));
        Assert.NotNull(await Store.GetReportGroupAsync(group.Arn, CancellationToken.None));
        Assert.Equal(ReportGroupDeletion.Deleted, await Store.DeleteReportGroupAsync(group.Arn, true, CancellationToken.None));
        Assert.Null(await Store.GetReportAsync(report.Arn, CancellationToken.None));
        Assert.Equal(ReportGroupDeletion.NotFound, await Store.DeleteReportGroupAsync(group.Arn, true, CancellationToken.None));
    }

    [StoreFact]
    public async Task A_deleted_report_is_gone_and_deleting_it_again_reports_so()
    {
        var group = Group("unit");
        await Store.CreateReportGroupAsync(group, CancellationToken.None);
        var report = Report(group);
        await Store.AddReportAsync(report, CancellationToken.None);

        Assert.True(await Store.DeleteReportAsync(report.Arn, CancellationToken.None));
        Assert.False(await Store.DeleteReportAsync(report.Arn, CancellationToken.None));
        Assert.Null(await Store.GetReportAsync(report.Arn, CancellationToken.None));
        Assert.Equal(ReportGroupDeletion.Deleted, await Store.DeleteReportGroupAsync(group.Arn, false, CancellationToken.None));
    }
}
