using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Security;

/// <summary>
/// Privileged mode hands a build the host's Docker engine, which is root on the Cairn host: configuring it, or changing
/// what a privileged project runs, needs Cairn's own cairn:RunPrivilegedBuild beyond codebuild:* and iam:PassRole.
/// </summary>
public sealed class PrivilegedModeTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private async Task<IReadOnlyDictionary<string, string>> UserAsync(string name, params string[] actions)
    {
        (await cairn.Aws("iam", "create-user", "--user-name", name)).Ok();
        var policy = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject { ["Effect"] = "Allow", ["Action"] = new JsonArray(actions.Select(a => (JsonNode)a).ToArray()), ["Resource"] = "*" }),
        };
        (await cairn.Aws("iam", "put-user-policy", "--user-name", name, "--policy-name", "p", "--policy-document", policy.ToJsonString())).Ok();
        var key = (await cairn.Aws("iam", "create-access-key", "--user-name", name)).Ok()["AccessKey"]!;
        return cairn.Credentials(key["AccessKeyId"]!.GetValue<string>(), key["SecretAccessKey"]!.GetValue<string>());
    }

    private string[] CreateProject(string name, string role) =>
    [
        "codebuild", "create-project", "--name", name,
        "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = "version: 0.2\nphases:\n  build:\n    commands:\n      - docker version\n" }.ToJsonString(),
        "--artifacts", "type=NO_ARTIFACTS",
        "--environment", "type=LINUX_CONTAINER,image=cairn-e2e/busybox:1,computeType=BUILD_GENERAL1_SMALL,privilegedMode=true",
        "--service-role", role,
    ];

    [Fact]
    public async Task Privileged_mode_needs_cairn_RunPrivilegedBuild_beyond_codebuild_and_PassRole()
    {
        (await cairn.Aws("iam", "create-role", "--role-name", "privileged-role", "--assume-role-policy-document", Trust)).Ok();
        var role = $"arn:aws:iam::{cairn.Server.Options.AccountId}:role/privileged-role";
        var projectArn = $"arn:aws:codebuild:us-east-1:{cairn.Server.Options.AccountId}:project/docker-builds";

        var ordinary = await UserAsync("ordinary-builder", "codebuild:*", "iam:PassRole");
        var denied = (await cairn.AwsAs(ordinary, CreateProject("docker-builds", role))).Fails("AccessDeniedException");
        Assert.Contains($"is not authorized to perform: cairn:RunPrivilegedBuild on resource: {projectArn}", denied, StringComparison.Ordinal);
        Assert.Contains("root on the Cairn host", denied, StringComparison.Ordinal);
        Assert.Contains($$"""{"Effect":"Allow","Action":"cairn:RunPrivilegedBuild","Resource":"{{projectArn}}"}""", denied, StringComparison.Ordinal);

        var trusted = await UserAsync("docker-admin", "codebuild:*", "iam:PassRole", "cairn:RunPrivilegedBuild");
        (await cairn.AwsAs(trusted, CreateProject("docker-builds", role))).Ok();

        // Starting the project as configured is ordinary; changing what it runs as root-equivalent is not.
        (await cairn.AwsAs(ordinary, "codebuild", "start-build", "--project-name", "docker-builds")).Ok();
        (await cairn.AwsAs(ordinary, "codebuild", "start-build", "--project-name", "docker-builds", "--buildspec-override",
            "version: 0.2\nphases:\n  build:\n    commands:\n      - docker run -v /:/host cairn-e2e/busybox:1 cat /host/etc/shadow\n")).Fails("AccessDeniedException");
        (await cairn.AwsAs(ordinary, "codebuild", "update-project", "--name", "docker-builds", "--environment",
            "type=LINUX_CONTAINER,image=other,computeType=BUILD_GENERAL1_SMALL,privilegedMode=true")).Fails("AccessDeniedException");
        (await cairn.AwsAs(trusted, "codebuild", "start-build", "--project-name", "docker-builds", "--buildspec-override",
            "version: 0.2\nphases:\n  build:\n    commands:\n      - echo trusted\n")).Ok();
    }
}
