using System.Text.Json.Nodes;
using Cairn.Runner.Reports;

namespace Cairn.Server.Tests.CodeBuild;

/// <summary>A build's reports as stored at its end, and CodeBuild's report operations over them.</summary>
public sealed class ReportOperationTests : WorkerFixture
{
    private const string Buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n";
    private readonly string _files;

    public ReportOperationTests() => _files = Directory.CreateDirectory(Path.Combine(DataDirectory, "report-files")).FullName;

    private static string GroupArn(string name) => $"arn:aws:codebuild:{Region}:{Account}:report-group/{name}";

    private ReportSummary Summary(string group, string file, string content, string format = "JUNITXML")
    {
        File.WriteAllText(Path.Combine(_files, file), content);
        return ReportSummarizer.Summarize(_files, new ReportSpec(group, [file], FileFormat: format));
    }

    private const string JUnit = """
        <testsuite name="calc">
          <testcase classname="com.example.Calc" name="adds" time="0.25"/>
          <testcase classname="com.example.Calc" name="divides" time="1.5"><failure message="expected 2 but was 3">at Calc.divide(Calc.java:12)</failure></testcase>
          <testcase classname="com.example.Calc" name="later"><skipped/></testcase>
        </testsuite>
        """;

    private async Task<(string BuildId, string ReportArn)> BuildWithReportAsync(params ReportSummary[] summaries)
    {
        Runner.Reports = summaries;
        await InlineProjectAsync(Buildspec);
        var id = await StartBuildAsync();
        await WaitForCompletionAsync(id);
        var list = await CallAsync("ListReports", "{}");
        return (id, list["reports"]!.AsArray().Last()!.GetValue<string>());
    }

    [Fact]
    public async Task A_builds_junit_report_is_stored_in_a_group_named_after_the_project_with_counts_and_test_cases()
    {
        var (id, reportArn) = await BuildWithReportAsync(Summary("unit", "junit.xml", JUnit));

        Assert.StartsWith($"arn:aws:codebuild:{Region}:{Account}:report/app-unit:", reportArn, StringComparison.Ordinal);
        var report = (await CallAsync("BatchGetReports", $$"""{"reportArns":["{{reportArn}}"]}"""))["reports"]![0]!;
        Assert.Equal("FAILED", report["status"]!.GetValue<string>());
        Assert.Equal(GroupArn("app-unit"), report["reportGroupArn"]!.GetValue<string>());
        Assert.Equal($"arn:aws:codebuild:{Region}:{Account}:build/{id}", report["executionId"]!.GetValue<string>());
        Assert.Equal(3, report["testSummary"]!["total"]!.GetValue<int>());
        Assert.Equal(1_750_000_000, report["testSummary"]!["durationInNanoSeconds"]!.GetValue<long>());
        Assert.Equal((1, 1, 1, 0), (report["testSummary"]!["statusCounts"]!["SUCCEEDED"]!.GetValue<int>(), report["testSummary"]!["statusCounts"]!["FAILED"]!.GetValue<int>(),
            report["testSummary"]!["statusCounts"]!["SKIPPED"]!.GetValue<int>(), report["testSummary"]!["statusCounts"]!["ERROR"]!.GetValue<int>()));

        var failed = (await CallAsync("DescribeTestCases", $$$"""{"reportArn":"{{{reportArn}}}","filter":{"status":"FAILED"}}"""))["testCases"]!.AsArray();
        var test = Assert.Single(failed)!;
        Assert.Equal(("divides", "com.example.Calc", "calc"), (test["name"]!.GetValue<string>(), test["prefix"]!.GetValue<string>(), test["testSuiteName"]!.GetValue<string>()));
        Assert.Contains("expected 2 but was 3", test["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Calc.java:12", test["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"Created report group {GroupArn("app-unit")}", LogOf(id), StringComparison.Ordinal);
        Assert.Contains($"Report {reportArn}: FAILED", LogOf(id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storing_a_report_is_authorized_as_the_builds_service_role_on_the_report_group()
    {
        var (id, reportArn) = await BuildWithReportAsync(Summary("unit", "junit.xml", JUnit));

        Assert.StartsWith($"arn:aws:codebuild:{Region}:{Account}:report/app-unit:", reportArn, StringComparison.Ordinal);
        string[] needed = ["codebuild:CreateReportGroup", "codebuild:CreateReport", "codebuild:UpdateReport", "codebuild:BatchPutTestCases"];
        Assert.Equal(needed, Authorizer.Calls.Where(c => c.Resource == GroupArn("app-unit")).Select(c => c.Action));
        var build = await WaitForCompletionAsync(id);
        var reportArns = (await CallAsync("BatchGetBuilds", $$"""{"ids":["{{id}}"]}"""))["builds"]![0]!["reportArns"]!.AsArray();
        Assert.Equal([reportArn], reportArns.Select(n => n!.GetValue<string>()));
        Assert.Equal("SUCCEEDED", build.Status);
    }

    [Fact]
    public async Task A_role_without_CreateReport_stores_no_report_and_the_log_names_the_action_group_and_statement_while_the_build_keeps_its_status()
    {
        Authorizer.Denied.Add(("codebuild:CreateReport", GroupArn("app-unit")));
        Authorizer.Denied.Add(("codebuild:BatchPutTestCases", GroupArn("app-unit")));
        Runner.Reports = [Summary("unit", "junit.xml", JUnit)];
        await InlineProjectAsync(Buildspec);
        var id = await StartBuildAsync();
        var build = await WaitForCompletionAsync(id);

        Assert.Equal("SUCCEEDED", build.Status);
        Assert.Empty((await CallAsync("ListReports", "{}"))["reports"]!.AsArray());
        Assert.Empty((await CallAsync("ListReportGroups", "{}"))["reportGroups"]!.AsArray());
        Assert.Null((await CallAsync("BatchGetBuilds", $$"""{"ids":["{{id}}"]}"""))["builds"]![0]!["reportArns"]);
        var log = LogOf(id);
        Assert.Contains($"[WARN] Report group {GroupArn("app-unit")}: the report was not stored: User: arn:aws:sts::{Account}:assumed-role/", log, StringComparison.Ordinal);
        Assert.Contains($"is not authorized to perform: codebuild:CreateReport on resource: {GroupArn("app-unit")}", log, StringComparison.Ordinal);
        Assert.Contains($"The service role needs codebuild:CreateReport, codebuild:BatchPutTestCases on {GroupArn("app-unit")}: add", log, StringComparison.Ordinal);
        Assert.Contains("\"codebuild:CreateReport\",", log, StringComparison.Ordinal);
        Assert.Contains($"\"Resource\": \"{GroupArn("app-unit")}\"", log, StringComparison.Ordinal);
        Assert.Contains("with: aws iam put-role-policy --role-name ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_report_file_gives_an_incomplete_report_said_in_the_log_and_the_build_still_succeeds()
    {
        var (id, reportArn) = await BuildWithReportAsync(Summary("unit", "broken.xml", "<testsuite><testcase"));

        var build = await WaitForCompletionAsync(id);
        Assert.Equal("SUCCEEDED", build.Status);
        var report = (await CallAsync("BatchGetReports", $$"""{"reportArns":["{{reportArn}}"]}"""))["reports"]![0]!;
        Assert.Equal("INCOMPLETE", report["status"]!.GetValue<string>());
        Assert.Contains($"Report {reportArn}: INCOMPLETE: broken.xml: not a valid JUNITXML report", LogOf(id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_build_reuses_the_group_and_listings_page_newest_first()
    {
        var (_, first) = await BuildWithReportAsync(Summary("unit", "junit.xml", JUnit));
        var second = await StartBuildAsync();
        await WaitForCompletionAsync(second);

        var groups = await CallAsync("ListReportGroups", "{}");
        Assert.Equal([GroupArn("app-unit")], groups["reportGroups"]!.AsArray().Select(n => n!.GetValue<string>()));
        var page = await CallAsync("ListReportsForReportGroup", $$"""{"reportGroupArn":"{{GroupArn("app-unit")}}","maxResults":1}""");
        var newest = page["reports"]!.AsArray().Single()!.GetValue<string>();
        Assert.NotEqual(first, newest);
        var next = await CallAsync("ListReportsForReportGroup", $$"""{"reportGroupArn":"{{GroupArn("app-unit")}}","maxResults":1,"nextToken":"{{page["nextToken"]}}"}""");
        Assert.Equal(first, next["reports"]!.AsArray().Single()!.GetValue<string>());
        Assert.Null(next["nextToken"]);

        var trend = await CallAsync("GetReportGroupTrend", $$"""{"reportGroupArn":"{{GroupArn("app-unit")}}","trendField":"PASS_RATE"}""");
        Assert.Equal(["33.33", "33.33"], trend["rawData"]!.AsArray().Select(n => n!["data"]!.GetValue<string>()));
        Assert.Equal("33.33", trend["stats"]!["average"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_report_group_given_by_an_arn_that_does_not_exist_is_said_in_the_log_and_nothing_is_stored()
    {
        Runner.Reports = [Summary(GroupArn("missing"), "junit.xml", JUnit)];
        await InlineProjectAsync(Buildspec);
        var id = await StartBuildAsync();
        await WaitForCompletionAsync(id);

        Assert.Contains($"Report group {GroupArn("missing")} does not exist", LogOf(id), StringComparison.Ordinal);
        Assert.Empty((await CallAsync("ListReports", "{}"))["reports"]!.AsArray());
    }

    [Fact]
    public async Task Report_groups_are_created_read_updated_and_deleted_with_AWSs_errors()
    {
        var created = await CallAsync("CreateReportGroup", """{"name":"shared","type":"TEST","exportConfig":{"exportConfigType":"NO_EXPORT"},"tags":[{"key":"team","value":"web"}]}""");
        Assert.Equal(GroupArn("shared"), created["reportGroup"]!["arn"]!.GetValue<string>());
        Assert.Equal("ResourceAlreadyExistsException",
            (await FailsAsync("CreateReportGroup", """{"name":"shared","type":"TEST","exportConfig":{"exportConfigType":"NO_EXPORT"}}""")).Code);
        Assert.Equal("InvalidInputException",
            (await FailsAsync("CreateReportGroup", """{"name":"bad name","type":"TEST","exportConfig":{"exportConfigType":"NO_EXPORT"}}""")).Code);

        var updated = await CallAsync("UpdateReportGroup", $$"""{"arn":"{{GroupArn("shared")}}","tags":[]}""");
        Assert.Empty(updated["reportGroup"]!["tags"]!.AsArray());
        Assert.Equal("ResourceNotFoundException", (await FailsAsync("UpdateReportGroup", $$"""{"arn":"{{GroupArn("nope")}}"}""")).Code);
        Assert.Equal("InvalidInputException", (await FailsAsync("UpdateReportGroup", """{"arn":"not-an-arn"}""")).Code);

        var batch = await CallAsync("BatchGetReportGroups", $$"""{"reportGroupArns":["{{GroupArn("shared")}}","{{GroupArn("nope")}}"]}""");
        Assert.Equal("shared", batch["reportGroups"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(GroupArn("nope"), batch["reportGroupsNotFound"]![0]!.GetValue<string>());

        await CallAsync("DeleteReportGroup", $$"""{"arn":"{{GroupArn("shared")}}"}""");
        Assert.Empty((await CallAsync("ListReportGroups", "{}"))["reportGroups"]!.AsArray());
    }

    [Fact]
    public async Task A_group_with_reports_is_deleted_only_with_deleteReports_and_a_deleted_report_is_not_found()
    {
        var (_, reportArn) = await BuildWithReportAsync(Summary("unit", "junit.xml", JUnit));

        var refused = await FailsAsync("DeleteReportGroup", $$"""{"arn":"{{GroupArn("app-unit")}}"}""");
        Assert.Equal("InvalidInputException", refused.Code);
        Assert.Contains("deleteReports", refused.Message, StringComparison.Ordinal);

        await CallAsync("DeleteReport", $$"""{"arn":"{{reportArn}}"}""");
        Assert.Equal(reportArn, (await CallAsync("BatchGetReports", $$"""{"reportArns":["{{reportArn}}"]}"""))["reportsNotFound"]![0]!.GetValue<string>());
        Assert.Equal("ResourceNotFoundException", (await FailsAsync("DescribeTestCases", $$"""{"reportArn":"{{reportArn}}"}""")).Code);
        await CallAsync("DeleteReportGroup", $$"""{"arn":"{{GroupArn("app-unit")}}"}""");
    }

    [Fact]
    public async Task Reading_a_report_is_authorized_on_its_report_group_and_denied_without_it()
    {
        var (_, reportArn) = await BuildWithReportAsync(Summary("unit", "junit.xml", JUnit));
        Authorizer.Denied.Add(("codebuild:DescribeTestCases", GroupArn("app-unit")));

        await CallAsync("BatchGetReports", $$"""{"reportArns":["{{reportArn}}"]}""");
        Assert.Contains(("codebuild:BatchGetReports", GroupArn("app-unit")), Authorizer.Calls);
        var denied = await FailsAsync("DescribeTestCases", $$"""{"reportArn":"{{reportArn}}"}""");
        Assert.True(denied.IsAccessDenied);
        Assert.Contains("codebuild:DescribeTestCases", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_test_cases_filters_by_status_and_keyword_and_refuses_an_unknown_status()
    {
        var (_, reportArn) = await BuildWithReportAsync(Summary("unit", "junit.xml", JUnit));

        var all = await CallAsync("DescribeTestCases", $$"""{"reportArn":"{{reportArn}}","maxResults":2}""");
        Assert.Equal(2, all["testCases"]!.AsArray().Count);
        Assert.NotNull(all["nextToken"]);
        var keyword = await CallAsync("DescribeTestCases", $$$"""{"reportArn":"{{{reportArn}}}","filter":{"keyword":"ADDS"}}""");
        Assert.Equal("adds", keyword["testCases"]!.AsArray().Single()!["name"]!.GetValue<string>());
        Assert.Equal("InvalidInputException", (await FailsAsync("DescribeTestCases", $$$"""{"reportArn":"{{{reportArn}}}","filter":{"status":"PASSED"}}""")).Code);
    }
}
