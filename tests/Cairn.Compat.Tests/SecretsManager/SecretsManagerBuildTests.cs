using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.SecretsManager;

/// <summary>Builds that read Secrets Manager as their service role: env.secrets-manager and SECRETS_MANAGER variables, masked; a denial with its fix.</summary>
public sealed class SecretsManagerBuildTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private string Role(string name) => $"arn:aws:iam::{cairn.Server.Options.AccountId}:role/{name}";

    private async Task<(JsonNode Build, string Log)> RunAsync(string project, string role, string buildspec, string environment)
    {
        (await cairn.Aws("codebuild", "create-project", "--name", project,
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = buildspec }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS", "--environment", environment, "--service-role", Role(role))).Ok();
        var id = (await cairn.Aws("codebuild", "start-build", "--project-name", project)).Ok()["build"]!["id"]!.GetValue<string>();
        var build = await cairn.WaitForBuildAsync(id);
        var events = (await cairn.Aws("logs", "get-log-events", "--log-group-name", $"/aws/codebuild/{project}",
            "--log-stream-name", build["logs"]!["streamName"]!.GetValue<string>(), "--start-from-head")).Ok();
        return (build, string.Concat(events["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_build_reads_secrets_as_its_role_and_the_log_shows_them_masked()
    {
        (await cairn.Aws("secretsmanager", "create-secret", "--name", "build/registry", "--secret-string", """{"username":"ci-robot","password":"r3g1stry-pa55"}""")).Ok();
        (await cairn.Aws("iam", "create-role", "--role-name", "sm-builder", "--assume-role-policy-document", Trust)).Ok();
        (await cairn.Aws("iam", "put-role-policy", "--role-name", "sm-builder", "--policy-name", "read",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:build/registry-??????"}]}""")).Ok();
        const string Buildspec = "version: 0.2\nenv:\n  secrets-manager:\n    REGISTRY_USER: build/registry:username\nphases:\n  build:\n    commands:\n      - echo \"login $REGISTRY_USER / $REGISTRY_PASSWORD\"\n";

        var (build, log) = await RunAsync("sm-app", "sm-builder", Buildspec,
            "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL,environmentVariables=[{name=REGISTRY_PASSWORD,value=build/registry:password,type=SECRETS_MANAGER}]");

        Assert.True(build["buildStatus"]!.GetValue<string>() == "SUCCEEDED", log);
        Assert.Contains("login *** / ***\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain("r3g1stry-pa55", log, StringComparison.Ordinal);
        Assert.DoesNotContain("ci-robot", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_without_GetSecretValue_fails_the_build_with_the_statement_it_needs()
    {
        (await cairn.Aws("secretsmanager", "create-secret", "--name", "build/locked", "--secret-string", "locked-value")).Ok();
        (await cairn.Aws("iam", "create-role", "--role-name", "sm-nobody", "--assume-role-policy-document", Trust)).Ok();
        const string Buildspec = "version: 0.2\nenv:\n  secrets-manager:\n    TOKEN: build/locked\nphases:\n  build:\n    commands:\n      - echo never-runs\n";

        var (build, log) = await RunAsync("sm-denied", "sm-nobody", Buildspec, "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL");

        Assert.Equal("FAILED", build["buildStatus"]!.GetValue<string>());
        var phase = build["phases"]!.AsArray().Single(p => p!["phaseType"]!.GetValue<string>() == "DOWNLOAD_SOURCE")!;
        Assert.Equal("Secrets Manager Error", phase["contexts"]![0]!["statusCode"]!.GetValue<string>());
        Assert.Contains("is not authorized to perform: secretsmanager:GetSecretValue", phase["contexts"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("iam put-role-policy --role-name sm-nobody", log, StringComparison.Ordinal);
        Assert.DoesNotContain("never-runs\n", log, StringComparison.Ordinal);
    }
}
