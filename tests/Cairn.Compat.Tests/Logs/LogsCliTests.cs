using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Logs;

/// <summary>CloudWatch Logs' writes, retention, tags, projects' logsConfig and `aws logs tail --follow`, with the real aws CLI v2 and boto3.</summary>
public sealed class LogsCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private Task<ProcessResult> CreateProjectAsync(string name, string role, string buildspec, params string[] extra) =>
        cairn.Aws([
            "codebuild", "create-project", "--name", name,
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = buildspec }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS",
            "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", $"arn:aws:iam::{cairn.Server.Options.AccountId}:role/{role}", .. extra]);

    [Fact]
    public async Task The_cli_creates_a_group_and_stream_puts_events_reads_them_and_sets_retention_and_tags()
    {
        (await cairn.Aws("logs", "create-log-group", "--log-group-name", "/cli/app", "--tags", "team=web")).Ok();
        (await cairn.Aws("logs", "create-log-stream", "--log-group-name", "/cli/app", "--log-stream-name", "web-1")).Ok();
        var events = new JsonArray(new JsonObject { ["timestamp"] = Now, ["message"] = "started" }, new JsonObject { ["timestamp"] = Now, ["message"] = "ERROR boom" });
        var put = (await cairn.Aws("logs", "put-log-events", "--log-group-name", "/cli/app", "--log-stream-name", "web-1", "--log-events", events.ToJsonString())).Ok();
        (await cairn.Aws("logs", "put-retention-policy", "--log-group-name", "/cli/app", "--retention-in-days", "30")).Ok();
        (await cairn.Aws("logs", "tag-resource", "--resource-arn", $"arn:aws:logs:us-east-1:{cairn.Server.Options.AccountId}:log-group:/cli/app", "--tags", "env=prod")).Ok();

        var got = (await cairn.Aws("logs", "get-log-events", "--log-group-name", "/cli/app", "--log-stream-name", "web-1", "--start-from-head")).Ok();
        var filtered = (await cairn.Aws("logs", "filter-log-events", "--log-group-name", "/cli/app", "--filter-pattern", "ERROR")).Ok();
        var groups = (await cairn.Aws("logs", "describe-log-groups", "--log-group-name-prefix", "/cli/")).Ok();
        var tags = (await cairn.Aws("logs", "list-tags-log-group", "--log-group-name", "/cli/app")).Ok();
        var again = (await cairn.Aws("logs", "create-log-group", "--log-group-name", "/cli/app")).Fails("ResourceAlreadyExistsException");
        var badRetention = (await cairn.Aws("logs", "put-retention-policy", "--log-group-name", "/cli/app", "--retention-in-days", "2")).Fails("InvalidParameterException");

        Assert.Null(put["rejectedLogEventsInfo"]);
        Assert.Equal(["started", "ERROR boom"], got["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()));
        Assert.Equal("ERROR boom", filtered["events"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(30, groups["logGroups"]![0]!["retentionInDays"]!.GetValue<int>());
        Assert.Equal("startedERROR boom".Length, groups["logGroups"]![0]!["storedBytes"]!.GetValue<long>());
        Assert.Equal("""{"env":"prod","team":"web"}""", tags["tags"]!.ToJsonString());
        Assert.Contains("already exists", again, StringComparison.Ordinal);
        Assert.Contains("enum value set", badRetention, StringComparison.Ordinal);

        (await cairn.Aws("logs", "delete-log-stream", "--log-group-name", "/cli/app", "--log-stream-name", "web-1")).Ok();
        (await cairn.Aws("logs", "delete-log-group", "--log-group-name", "/cli/app")).Ok();
        (await cairn.Aws("logs", "delete-log-group", "--log-group-name", "/cli/app")).Fails("ResourceNotFoundException");
    }

    [Fact]
    public async Task Boto3_sees_rejected_events_and_the_tags_apis()
    {
        var result = await cairn.Boto3("""
            import time
            logs = client("logs")
            logs.create_log_group(logGroupName="/boto/app", tags={"team": "web"})
            logs.create_log_stream(logGroupName="/boto/app", logStreamName="s")
            now = int(time.time() * 1000)
            put = logs.put_log_events(logGroupName="/boto/app", logStreamName="s", logEvents=[
                {"timestamp": now - 15 * 24 * 3600 * 1000, "message": "too old"},
                {"timestamp": now, "message": "kept"},
                {"timestamp": now + 3 * 3600 * 1000, "message": "too new"}])
            print(json.dumps(put["rejectedLogEventsInfo"], sort_keys=True))
            print([e["message"] for e in logs.get_log_events(logGroupName="/boto/app", logStreamName="s", startFromHead=True)["events"]])
            arn = logs.describe_log_groups(logGroupNamePrefix="/boto/")["logGroups"][0]["arn"].removesuffix(":*")
            logs.untag_resource(resourceArn=arn, tagKeys=["team"])
            logs.tag_resource(resourceArn=arn, tags={"env": "dev"})
            print(json.dumps(logs.list_tags_for_resource(resourceArn=arn)["tags"]))
            print(error_code(logs.put_log_events, logGroupName="/boto/app", logStreamName="s", logEvents=[
                {"timestamp": now, "message": "b"}, {"timestamp": now - 1000, "message": "a"}]))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("""{"tooNewLogEventStartIndex": 2, "tooOldLogEventEndIndex": 0}""", lines[0]);
        Assert.Equal("['kept']", lines[1]);
        Assert.Equal("""{"env": "dev"}""", lines[2]);
        Assert.Equal("InvalidParameterException: Log events in a single PutLogEvents request must be in chronological order.", lines[3]);
    }

    [Fact]
    public async Task A_project_with_its_own_log_group_writes_its_builds_there_and_a_disabled_one_writes_none()
    {
        const string Buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo custom-group-line\n";
        (await cairn.Aws("iam", "create-role", "--role-name", "logs-config-role", "--assume-role-policy-document", Trust)).Ok();
        (await CreateProjectAsync("logs-custom", "logs-config-role", Buildspec,
            "--logs-config", "cloudWatchLogs={status=ENABLED,groupName=/team/builds,streamName=app}")).Ok();
        (await CreateProjectAsync("logs-off", "logs-config-role", Buildspec, "--logs-config", "cloudWatchLogs={status=DISABLED}")).Ok();

        var custom = await cairn.WaitForBuildAsync((await cairn.Aws("codebuild", "start-build", "--project-name", "logs-custom")).Ok()["build"]!["id"]!.GetValue<string>());
        var off = await cairn.WaitForBuildAsync((await cairn.Aws("codebuild", "start-build", "--project-name", "logs-off")).Ok()["build"]!["id"]!.GetValue<string>());
        var uuid = custom["id"]!.GetValue<string>().Split(':')[1];
        var events = (await cairn.Aws("logs", "get-log-events", "--log-group-name", "/team/builds", "--log-stream-name", $"app/{uuid}", "--start-from-head")).Ok();
        var groups = (await cairn.Aws("logs", "describe-log-groups")).Ok()["logGroups"]!.AsArray().Select(g => g!["logGroupName"]!.GetValue<string>()).ToList();

        Assert.Equal("/team/builds", custom["logs"]!["groupName"]!.GetValue<string>());
        Assert.Equal($"app/{uuid}", custom["logs"]!["streamName"]!.GetValue<string>());
        Assert.Contains(events["events"]!.AsArray(), e => e!["message"]!.GetValue<string>() == "custom-group-line\n");
        Assert.Equal("DISABLED", off["logs"]!["cloudWatchLogs"]!["status"]!.GetValue<string>());
        Assert.Null(off["logs"]!["groupName"]);
        Assert.Contains("/team/builds", groups);
        Assert.DoesNotContain("/aws/codebuild/logs-custom", groups);
        Assert.DoesNotContain("/aws/codebuild/logs-off", groups);
    }

    [Fact]
    public async Task Aws_logs_tail_follow_prints_a_running_builds_lines_as_they_come()
    {
        const string Buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - for i in 1 2 3 4 5; do echo tail-line-$i; sleep 1; done\n";
        (await cairn.Aws("iam", "create-role", "--role-name", "logs-tail-role", "--assume-role-policy-document", Trust)).Ok();
        (await CreateProjectAsync("logs-tail", "logs-tail-role", Buildspec)).Ok();
        var id = (await cairn.Aws("codebuild", "start-build", "--project-name", "logs-tail")).Ok()["build"]!["id"]!.GetValue<string>();

        // The group appears when the build starts; tail needs it to exist.
        while ((await cairn.Aws("logs", "describe-log-streams", "--log-group-name", "/aws/codebuild/logs-tail")).ExitCode != 0)
        {
            await Task.Delay(200);
        }

        using var tail = ClientProcess.Start(ClientProcess.AwsCli,
            ["--endpoint-url", cairn.Endpoint, "logs", "tail", "/aws/codebuild/logs-tail", "--follow", "--format", "short"], cairn.Credentials());
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var seen = new List<string>();
        try
        {
            while (!seen.Contains("tail-line-5") && await tail.StandardOutput.ReadLineAsync(guard.Token) is { } line)
            {
                // --format short: "<time> <message>".
                seen.Add(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            }
        }
        finally
        {
            tail.Kill(entireProcessTree: true);
        }

        var build = await cairn.WaitForBuildAsync(id);
        Assert.Equal("SUCCEEDED", build["buildStatus"]!.GetValue<string>());
        Assert.Equal(["tail-line-1", "tail-line-2", "tail-line-3", "tail-line-4", "tail-line-5"], seen.Where(l => l.StartsWith("tail-line-", StringComparison.Ordinal)));
    }
}
