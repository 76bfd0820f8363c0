using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Core.Tests.Buildspec;

namespace Cairn.Compat.Tests.CodeBuild;

/// <summary>Issue 10 through the CodeBuild API: lint findings in the build's log, readable String parameters, a mistyped service role.</summary>
public sealed class CodeBuildFirstHourTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private string Role(string name) => $"arn:aws:iam::{cairn.Server.Options.AccountId}:role/{name}";

    private async Task<(JsonNode Build, string Log)> BuildAsync(string project, string buildspec, string role, string variables = "")
    {
        (await cairn.Aws("codebuild", "create-project", "--name", project,
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = buildspec }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS",
            "--environment", $"type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL{variables}",
            "--service-role", role)).Ok();
        var id = (await cairn.Aws("codebuild", "start-build", "--project-name", project)).Ok()["build"]!["id"]!.GetValue<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        JsonNode build;
        while (!(build = (await cairn.Aws("codebuild", "batch-get-builds", "--ids", id)).Ok()["builds"]![0]!)["buildComplete"]!.GetValue<bool>())
        {
            Assert.False(deadline.IsCancellationRequested, $"build {id} did not complete");
            await Task.Delay(200);
        }

        var events = (await cairn.Aws("logs", "get-log-events", "--log-group-name", $"/aws/codebuild/{project}",
            "--log-stream-name", build["logs"]!["streamName"]!.GetValue<string>(), "--start-from-head")).Ok();
        return (build, string.Concat(events["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_codebuild_build_of_the_environment_seed_prints_the_lint_findings_in_download_source()
    {
        (await cairn.Aws("iam", "create-role", "--role-name", "fh-lint-role", "--assume-role-policy-document", Trust)).Ok();

        var (_, log) = await BuildAsync("fh-lint", SeedBuildspecs.EnvironmentWithResolve, Role("fh-lint-role"));

        var download = log[..log.IndexOf("Phase complete: DOWNLOAD_SOURCE", StringComparison.Ordinal)];
        Assert.Contains("[WARN] The buildspec has 1 error and 7 warnings (`cairn lint` shows the same); CodeBuild runs it anyway:", download, StringComparison.Ordinal);
        Assert.Contains("[WARN] buildspec:11:1: error BS101: unknown top-level key 'environment'", download, StringComparison.Ordinal);
        Assert.Contains("[WARN] buildspec:9:9: warning BS117: $APPLICATION_NAME is never defined, so the command sees it empty", download, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_variable_leaves_string_parameters_readable_in_a_codebuild_build()
    {
        (await cairn.Aws("ssm", "put-parameter", "--name", "/fh/registry-url", "--value", "registry.fh.test", "--type", "String", "--overwrite")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "/fh/password", "--value", "Fh-Pa55word!", "--type", "SecureString", "--overwrite")).Ok();
        (await cairn.Aws("iam", "create-role", "--role-name", "fh-unmask-role", "--assume-role-policy-document", Trust)).Ok();
        (await cairn.Aws("iam", "attach-role-policy", "--role-name", "fh-unmask-role", "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess")).Ok();
        const string Buildspec = "version: 0.2\nenv:\n  parameter-store:\n    URL: /fh/registry-url\n    PASSWORD: /fh/password\nphases:\n  build:\n    commands:\n      - echo \"tagged $URL/app password=$PASSWORD\"\n";

        var (build, log) = await BuildAsync("fh-unmask", Buildspec, Role("fh-unmask-role"),
            ",environmentVariables=[{name=CAIRN_UNMASK_STRING_PARAMETERS,value=true}]");

        Assert.True(build["buildStatus"]!.GetValue<string>() == "SUCCEEDED", log);
        Assert.Contains("tagged registry.fh.test/app password=***\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Fh-Pa55word!", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_codebuild_build_whose_service_role_is_mistyped_says_did_you_mean()
    {
        (await cairn.Aws("iam", "create-role", "--role-name", "fh-service-role", "--assume-role-policy-document", Trust)).Ok();

        var (build, log) = await BuildAsync("fh-typo", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n", Role("fh_service_role"));

        Assert.Equal("FAILED", build["buildStatus"]!.GetValue<string>());
        Assert.Contains("Hint: role fh_service_role does not exist; did you mean fh-service-role?", log, StringComparison.Ordinal);
        Assert.DoesNotContain("update-assume-role-policy", log, StringComparison.Ordinal);
    }
}
