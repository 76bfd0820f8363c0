using System.Text.Json.Nodes;
using Cairn.Cli.Commands;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.CodeBuild;

/// <summary>CodeBuild and CloudWatch Logs driven by the real aws CLI v2, boto3 and `cairn logs`.</summary>
public sealed class CodeBuildCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private string Account => cairn.Server.Options.AccountId;

    private string Role(string name) => $"arn:aws:iam::{Account}:role/{name}";

    private Task<ProcessResult> CreateProjectAsync(string name, string role, string buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n") =>
        cairn.Aws("codebuild", "create-project", "--name", name,
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = buildspec }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS",
            "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL,environmentVariables=[{name=STAGE,value=dev}]",
            "--service-role", role);

    [Fact]
    public async Task Projects_round_trip_through_the_cli_shorthand()
    {
        var created = (await CreateProjectAsync("cli-project", Role("codebuild-service-role"))).Ok()["project"]!;
        (await cairn.Aws("codebuild", "update-project", "--name", "cli-project", "--timeout-in-minutes", "20")).Ok();
        var projects = (await cairn.Aws("codebuild", "batch-get-projects", "--names", "cli-project", "missing")).Ok();
        var listed = (await cairn.Aws("codebuild", "list-projects", "--sort-by", "NAME")).Ok();

        Assert.Equal($"arn:aws:codebuild:us-east-1:{Account}:project/cli-project", created["arn"]!.GetValue<string>());
        var project = projects["projects"]![0]!;
        Assert.Equal(20, project["timeoutInMinutes"]!.GetValue<int>());
        Assert.Equal("STAGE", project["environment"]!["environmentVariables"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("missing", projects["projectsNotFound"]![0]!.GetValue<string>());
        Assert.Contains("cli-project", listed["projects"]!.AsArray().Select(p => p!.GetValue<string>()));
        (await CreateProjectAsync("cli-project", Role("codebuild-service-role"))).Fails("ResourceAlreadyExistsException");
        (await cairn.Aws("codebuild", "delete-project", "--name", "cli-project")).Ok();
        (await cairn.Aws("codebuild", "start-build", "--project-name", "cli-project")).Fails("ResourceNotFoundException");
    }

    [Fact]
    public async Task A_build_whose_role_cannot_be_assumed_fails_in_provisioning_and_its_log_is_readable_with_aws_logs()
    {
        (await CreateProjectAsync("cli-no-role", Role("no-such-role"))).Ok();

        var started = (await cairn.Aws("codebuild", "start-build", "--project-name", "cli-no-role",
            "--environment-variables-override", "name=EXTRA,value=1,type=PLAINTEXT")).Ok()["build"]!;
        var id = started["id"]!.GetValue<string>();
        var build = await cairn.WaitForBuildAsync(id);
        var stream = build["logs"]!["streamName"]!.GetValue<string>();
        var events = (await cairn.Aws("logs", "get-log-events", "--log-group-name", "/aws/codebuild/cli-no-role", "--log-stream-name", stream, "--start-from-head")).Ok();
        var filtered = (await cairn.Aws("logs", "filter-log-events", "--log-group-name", "/aws/codebuild/cli-no-role", "--filter-pattern", "\"not authorized\"")).Ok();
        var streams = (await cairn.Aws("logs", "describe-log-streams", "--log-group-name", "/aws/codebuild/cli-no-role")).Ok();

        Assert.Equal("QUEUED", started["currentPhase"]!.GetValue<string>());
        Assert.Equal("FAILED", build["buildStatus"]!.GetValue<string>());
        var provisioning = build["phases"]!.AsArray().Single(p => p!["phaseType"]!.GetValue<string>() == "PROVISIONING")!;
        Assert.Equal("FAILED", provisioning["phaseStatus"]!.GetValue<string>());
        Assert.Equal($"CodeBuild is not authorized to perform: sts:AssumeRole on {Role("no-such-role")}", provisioning["contexts"]![0]!["message"]!.GetValue<string>());
        var messages = events["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).ToList();
        Assert.Contains(messages, m => m.Contains("Phase complete: PROVISIONING State: FAILED", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("aws iam create-role --role-name no-such-role", StringComparison.Ordinal));
        Assert.NotEmpty(filtered["events"]!.AsArray());
        Assert.Equal(stream, streams["logStreams"]![0]!["logStreamName"]!.GetValue<string>());
        (await cairn.Aws("logs", "get-log-events", "--log-group-name", "/aws/codebuild/nothing", "--log-stream-name", stream)).Fails("ResourceNotFoundException");
    }

    [Fact]
    public async Task Cairn_logs_prints_the_log_and_follow_exits_with_the_builds_outcome()
    {
        (await CreateProjectAsync("cli-follow", Role("untrusted-role"))).Ok();
        (await cairn.Aws("iam", "create-role", "--role-name", "untrusted-role", "--assume-role-policy-document",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}]}""")).Ok();
        var id = (await cairn.Aws("codebuild", "start-build", "--project-name", "cli-follow")).Ok()["build"]!["id"]!.GetValue<string>();

        var (exit, output, error) = await cairn.CairnLogsAsync(id, follow: true);

        Assert.Equal(1, exit);
        Assert.Contains("Phase complete: PROVISIONING State: FAILED", output, StringComparison.Ordinal);
        Assert.Contains("update-assume-role-policy --role-name untrusted-role", output, StringComparison.Ordinal);
        Assert.Contains($"Build {id}: FAILED", error, StringComparison.Ordinal);

        (await cairn.Aws("iam", "create-user", "--user-name", "no-logs")).Ok();
        var key = (await cairn.Aws("iam", "create-access-key", "--user-name", "no-logs")).Ok()["AccessKey"]!;
        var noLogs = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = key["AccessKeyId"]!.GetValue<string>(),
            ["AWS_SECRET_ACCESS_KEY"] = key["SecretAccessKey"]!.GetValue<string>(),
        };
        using var deniedError = new StringWriter();
        var denied = await LogsCommand.RunAsync(
            new LogsCommand.LogsRequest(id, Follow: false, cairn.Endpoint, "us-east-1", "/nonexistent"),
            TextWriter.Null, deniedError, name => noLogs.TryGetValue(name, out var value) ? value : null, CancellationToken.None);
        Assert.Equal(2, denied);
        Assert.Contains("403 AccessDeniedException: User: arn:aws:iam::000000000000:user/no-logs is not authorized to perform: logs:GetLogEvents", deniedError.ToString(), StringComparison.Ordinal);

        var (missing, _, _) = await cairn.CairnLogsAsync("cli-follow:00000000-0000-0000-0000-000000000000", follow: false);
        Assert.Equal(3, missing);

        // A profile, as the aws CLI and `cairn build` read it: AWS_PROFILE in AWS_SHARED_CREDENTIALS_FILE.
        var credentials = cairn.Credentials();
        var shared = Path.Combine(Path.GetTempPath(), $"cairn-logs-profile-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(shared, $"[default]\naws_access_key_id = AKIAWRONGDEFAULT0001\naws_secret_access_key = wrong\n\n[cairn-test]\n"
            + $"aws_access_key_id = {credentials["AWS_ACCESS_KEY_ID"]}\naws_secret_access_key = {credentials["AWS_SECRET_ACCESS_KEY"]}\n");
        try
        {
            var byProfile = new Dictionary<string, string> { ["AWS_PROFILE"] = "cairn-test", ["AWS_SHARED_CREDENTIALS_FILE"] = shared };
            Assert.Equal(0, await LogsCommand.RunAsync(
                new LogsCommand.LogsRequest(id, Follow: false, cairn.Endpoint, "us-east-1", "/nonexistent"),
                TextWriter.Null, TextWriter.Null, name => byProfile.TryGetValue(name, out var value) ? value : null, CancellationToken.None));
            var onlyFile = new Dictionary<string, string> { ["AWS_SHARED_CREDENTIALS_FILE"] = shared };
            Assert.Equal(0, await LogsCommand.RunAsync(
                new LogsCommand.LogsRequest(id, Follow: false, cairn.Endpoint, "us-east-1", "/nonexistent") { Profile = "cairn-test" },
                TextWriter.Null, TextWriter.Null, name => onlyFile.TryGetValue(name, out var value) ? value : null, CancellationToken.None));
        }
        finally
        {
            File.Delete(shared);
        }
    }

    [Fact]
    public async Task A_build_reads_project_parameter_store_variables_and_its_aws_commands_act_as_the_role()
    {
        (await cairn.Aws("ssm", "put-parameter", "--name", "/cb/token", "--value", "tok-3x4mple-v4lue", "--type", "SecureString")).Ok();
        (await cairn.Aws("iam", "create-role", "--role-name", "cb-reader", "--assume-role-policy-document", Trust)).Ok();
        (await cairn.Aws("iam", "attach-role-policy", "--role-name", "cb-reader", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess")).Ok();
        const string Buildspec = """
            version: 0.2
            phases:
              build:
                commands:
                  - echo "token=$TOKEN"
                  - aws sts get-caller-identity --query Arn --output text
                  - aws ssm get-parameter --name /cb/token --query Parameter.Type --output text
                  - aws iam list-users || echo "iam denied as expected"
            """;
        (await cairn.Aws("codebuild", "create-project", "--name", "cb-role",
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = Buildspec }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS",
            "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL,environmentVariables=[{name=TOKEN,value=/cb/token,type=PARAMETER_STORE}]",
            "--service-role", Role("cb-reader"))).Ok();

        var id = (await cairn.Aws("codebuild", "start-build", "--project-name", "cb-role")).Ok()["build"]!["id"]!.GetValue<string>();
        var build = await cairn.WaitForBuildAsync(id);
        var events = (await cairn.Aws("logs", "get-log-events", "--log-group-name", "/aws/codebuild/cb-role",
            "--log-stream-name", build["logs"]!["streamName"]!.GetValue<string>(), "--start-from-head")).Ok();
        var log = string.Concat(events["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()));

        Assert.True(build["buildStatus"]!.GetValue<string>() == "SUCCEEDED", log);
        Assert.Contains("token=***\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-3x4mple-v4lue", log, StringComparison.Ordinal);
        Assert.Contains($"arn:aws:sts::{Account}:assumed-role/cb-reader/AWSCodeBuild-{id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..]}", log, StringComparison.Ordinal);
        Assert.Contains("SecureString\n", log, StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: iam:ListUsers", log, StringComparison.Ordinal);
        Assert.Contains("iam denied as expected", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3_reads_builds_with_timestamps_and_honours_idempotency_tokens()
    {
        (await CreateProjectAsync("boto-project", Role("no-such-role"))).Ok();

        var result = (await cairn.Boto3("""
            cb = client("codebuild")
            build = cb.start_build(projectName="boto-project", idempotencyToken="tok-1")["build"]
            again = cb.start_build(projectName="boto-project", idempotencyToken="tok-1")["build"]
            got = cb.batch_get_builds(ids=[build["id"]])["builds"][0]
            ids = cb.list_builds_for_project(projectName="boto-project")["ids"]
            print(json.dumps({"same": build["id"] == again["id"], "start": got["startTime"].isoformat(),
                              "phases": [p["phaseType"] for p in got["phases"]], "listed": build["id"] in ids,
                              "error": error_code(cb.batch_get_builds, ids=["no-colon"])}))
            """)).Ok();

        Assert.True(result["same"]!.GetValue<bool>());
        Assert.True(result["listed"]!.GetValue<bool>());
        Assert.Contains("T", result["start"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("SUBMITTED", result["phases"]![0]!.GetValue<string>());
        Assert.StartsWith("InvalidInputException", result["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
