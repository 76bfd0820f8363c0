using System.Text.Json.Nodes;
using Cairn.EndToEnd.Tests.Infrastructure;
using Cairn.Runner.Containers;
using Cairn.Runner.Processes;

namespace Cairn.EndToEnd.Tests.Builds;

/// <summary>StopBuild on real builds: once a build is STOPPED, nothing it started is left, on the host or in Docker.</summary>
public sealed class StopBuildTests(SeedsFixture cairn) : IClassFixture<SeedsFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string Sleeper = "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 600 &\n      - sleep 600\n";
    private static readonly SemaphoreSlim RoleGate = new(1, 1);
    private static bool _role;

    private async Task<string> StartSleeperAsync(string project, string environment)
    {
        await EnsureRoleAsync();
        await cairn.Aws.OkAsync("codebuild", "create-project", "--name", project,
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = Sleeper }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS", "--environment", environment,
            "--service-role", "arn:aws:iam::000000000000:role/stop-role");
        var id = (await cairn.Aws.OkAsync("codebuild", "start-build", "--project-name", project))["build"]!["id"]!.GetValue<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while ((await BuildAsync(id))["currentPhase"]!.GetValue<string>() != "BUILD")
        {
            Assert.False(deadline.IsCancellationRequested, $"build {id} never reached BUILD");
            await Task.Delay(100);
        }

        await Task.Delay(500);
        return id;
    }

    private async Task EnsureRoleAsync()
    {
        await RoleGate.WaitAsync();
        try
        {
            if (!_role)
            {
                await cairn.Aws.OkAsync("iam", "create-role", "--role-name", "stop-role", "--assume-role-policy-document", Trust);
                _role = true;
            }
        }
        finally
        {
            RoleGate.Release();
        }
    }

    private async Task<JsonNode> BuildAsync(string id) => (await cairn.Aws.OkAsync("codebuild", "batch-get-builds", "--ids", id))["builds"]![0]!;

    private async Task<JsonNode> StopAndWaitAsync(string id)
    {
        await cairn.Aws.OkAsync("codebuild", "stop-build", "--id", id);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var build = await BuildAsync(id);
            if (build["buildComplete"]!.GetValue<bool>())
            {
                return build;
            }

            Assert.False(deadline.IsCancellationRequested, $"build {id} did not stop");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Stopping_a_host_build_kills_its_whole_process_tree()
    {
        var id = await StartSleeperAsync("stop-host", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL");
        Assert.NotEmpty(MarkedProcesses.Find("CODEBUILD_BUILD_ID", id));

        var build = await StopAndWaitAsync(id);

        Assert.Equal("STOPPED", build["buildStatus"]!.GetValue<string>());
        Assert.Empty(MarkedProcesses.Find("CODEBUILD_BUILD_ID", id));
    }

    [Fact]
    public async Task A_process_that_left_the_builds_process_group_is_gone_when_the_build_ends()
    {
        await EnsureRoleAsync();
        await cairn.Aws.OkAsync("codebuild", "create-project", "--name", "detached",
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = "version: 0.2\nphases:\n  build:\n    commands:\n      - setsid sleep 600 > /dev/null 2>&1 < /dev/null &\n      - echo started\n" }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS", "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", "arn:aws:iam::000000000000:role/stop-role");

        var build = await cairn.RunBuildAsync("--project-name", "detached");

        Assert.Equal("SUCCEEDED", build["buildStatus"]!.GetValue<string>());
        Assert.Empty(MarkedProcesses.Find("CODEBUILD_BUILD_ID", build["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Stopping_a_container_build_removes_its_container()
    {
        var id = await StartSleeperAsync("stop-container", $"type=LINUX_CONTAINER,image={DockerHost.BaseImage},computeType=BUILD_GENERAL1_SMALL");
        var uuid = id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..];
        Assert.NotEmpty(await new DockerEngine().ListBuildContainersAsync(uuid, CancellationToken.None));

        var build = await StopAndWaitAsync(id);

        Assert.Equal("STOPPED", build["buildStatus"]!.GetValue<string>());
        Assert.Empty(await new DockerEngine().ListBuildContainersAsync(uuid, CancellationToken.None));
    }
}
