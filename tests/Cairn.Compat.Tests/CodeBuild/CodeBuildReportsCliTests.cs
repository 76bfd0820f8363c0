using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.CodeBuild;

/// <summary>Test reports of a real build, read with the real aws CLI v2 and boto3.</summary>
public sealed class CodeBuildReportsCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private const string Buildspec = """
        version: 0.2
        phases:
          build:
            commands:
              - mkdir -p out
              - echo "<testsuite name='calc'><testcase classname='Calc' name='adds' time='0.5'/><testcase classname='Calc' name='divides' time='1'><failure message='expected 2 but was 3'>at Calc.java:12</failure></testcase></testsuite>" > out/junit.xml
              - echo '[{"name":"Login","elements":[{"name":"signs in","steps":[{"result":{"status":"passed","duration":2000000}}]}]}]' > out/cucumber.json
        reports:
          unit:
            files:
              - 'out/junit.xml'
          features:
            files:
              - 'out/cucumber.json'
            file-format: CUCUMBERJSON
        """;

    private string Account => cairn.Server.Options.AccountId;

    private string GroupArn(string name) => $"arn:aws:codebuild:us-east-1:{Account}:report-group/{name}";

    private async Task<string> BuildAsync(string project)
    {
        (await cairn.Aws("iam", "create-role", "--role-name", project, "--assume-role-policy-document", Trust)).Ok();
        // What AWS asks of the service role for test reports, on the groups the project's builds create.
        (await cairn.Aws("iam", "put-role-policy", "--role-name", project, "--policy-name", "reports", "--policy-document",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:CreateReportGroup","codebuild:CreateReport","codebuild:UpdateReport","codebuild:BatchPutTestCases"],"Resource":"arn:aws:codebuild:us-east-1:{{Account}}:report-group/{{project}}-*"}]}""")).Ok();
        (await cairn.Aws("codebuild", "create-project", "--name", project,
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = Buildspec }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS",
            "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", $"arn:aws:iam::{Account}:role/{project}")).Ok();
        var id = (await cairn.Aws("codebuild", "start-build", "--project-name", project)).Ok()["build"]!["id"]!.GetValue<string>();
        var build = await cairn.WaitForBuildAsync(id);
        Assert.Equal("SUCCEEDED", build["buildStatus"]!.GetValue<string>());
        return id;
    }

    [Fact]
    public async Task A_builds_reports_are_listed_read_and_their_test_cases_described_with_the_cli()
    {
        var id = await BuildAsync("rep-cli");

        var groups = (await cairn.Aws("codebuild", "list-report-groups", "--sort-by", "NAME")).Ok()["reportGroups"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains(GroupArn("rep-cli-unit"), groups);
        Assert.Contains(GroupArn("rep-cli-features"), groups);
        var arns = (await cairn.Aws("codebuild", "list-reports-for-report-group", "--report-group-arn", GroupArn("rep-cli-unit"))).Ok()["reports"]!.AsArray();
        var arn = Assert.Single(arns)!.GetValue<string>();
        var featuresArn = Assert.Single((await cairn.Aws("codebuild", "list-reports-for-report-group", "--report-group-arn", GroupArn("rep-cli-features"))).Ok()["reports"]!.AsArray())!.GetValue<string>();
        var built = (await cairn.Aws("codebuild", "batch-get-builds", "--ids", id)).Ok()["builds"]![0]!;
        Assert.Equal([arn, featuresArn], built["reportArns"]!.AsArray().Select(n => n!.GetValue<string>()));
        var report = (await cairn.Aws("codebuild", "batch-get-reports", "--report-arns", arn)).Ok()["reports"]![0]!;
        Assert.Equal("FAILED", report["status"]!.GetValue<string>());
        Assert.Equal($"arn:aws:codebuild:us-east-1:{Account}:build/{id}", report["executionId"]!.GetValue<string>());
        Assert.Equal(2, report["testSummary"]!["total"]!.GetValue<int>());
        Assert.Equal(1, report["testSummary"]!["statusCounts"]!["FAILED"]!.GetValue<int>());

        var failed = (await cairn.Aws("codebuild", "describe-test-cases", "--report-arn", arn, "--filter", "status=FAILED")).Ok()["testCases"]!.AsArray();
        Assert.Equal("divides", Assert.Single(failed)!["name"]!.GetValue<string>());
        Assert.Contains("expected 2 but was 3", failed[0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var trend = (await cairn.Aws("codebuild", "get-report-group-trend", "--report-group-arn", GroupArn("rep-cli-unit"), "--trend-field", "PASS_RATE")).Ok();
        Assert.Equal("50", trend["stats"]!["average"]!.GetValue<string>());
        (await cairn.Aws("codebuild", "describe-test-cases", "--report-arn", arn, "--filter", "status=PASSED")).Fails("InvalidInputException");
        (await cairn.Aws("codebuild", "delete-report-group", "--arn", GroupArn("rep-cli-unit"))).Fails("InvalidInputException");
        (await cairn.Aws("codebuild", "delete-report-group", "--arn", GroupArn("rep-cli-unit"), "--delete-reports")).Ok();
        (await cairn.Aws("codebuild", "list-reports-for-report-group", "--report-group-arn", GroupArn("rep-cli-unit"))).Fails("ResourceNotFoundException");
    }

    [Fact]
    public async Task Boto3_reads_reports_with_timestamps_and_pages_report_groups_and_test_cases()
    {
        await BuildAsync("rep-boto");

        var result = (await cairn.Boto3($$"""
            cb = client("codebuild")
            cb.create_report_group(name="rep-boto-extra", type="TEST", exportConfig={"exportConfigType": "NO_EXPORT"}, tags=[{"key": "team", "value": "web"}])
            groups = [a for page in cb.get_paginator("list_report_groups").paginate(PaginationConfig={"PageSize": 1}) for a in page["reportGroups"]]
            got = cb.batch_get_report_groups(reportGroupArns=["{{GroupArn("rep-boto-extra")}}", "{{GroupArn("rep-boto-none")}}"])
            arns = cb.list_reports_for_report_group(reportGroupArn="{{GroupArn("rep-boto-features")}}")["reports"]
            report = cb.batch_get_reports(reportArns=arns)["reports"][0]
            cases = [c for page in cb.get_paginator("describe_test_cases").paginate(reportArn=arns[0], PaginationConfig={"PageSize": 1}) for c in page["testCases"]]
            print(json.dumps({"groups": groups, "found": [g["name"] for g in got["reportGroups"]], "missing": got["reportGroupsNotFound"],
                              "created": report["created"].isoformat(), "status": report["status"], "duration": report["testSummary"]["durationInNanoSeconds"],
                              "cases": [[c["prefix"], c["name"], c["status"]] for c in cases],
                              "error": error_code(cb.create_report_group, name="rep-boto-extra", type="TEST", exportConfig={"exportConfigType": "NO_EXPORT"})}))
            """)).Ok();

        var groups = result["groups"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains(GroupArn("rep-boto-extra"), groups);
        Assert.Contains(GroupArn("rep-boto-unit"), groups);
        Assert.Equal(["rep-boto-extra"], result["found"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal([GroupArn("rep-boto-none")], result["missing"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("SUCCEEDED", result["status"]!.GetValue<string>());
        Assert.Equal(2_000_000, result["duration"]!.GetValue<long>());
        Assert.Equal("[[\"Login\",\"signs in\",\"SUCCEEDED\"]]", result["cases"]!.ToJsonString());
        Assert.StartsWith("ResourceAlreadyExistsException: Report group " + GroupArn("rep-boto-extra"), result["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), result["created"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
