using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Runner.Processes;

namespace Cairn.Compat.Tests.CodeBuild;

/// <summary>`cairn serve` killed with SIGKILL mid-build: after a restart the build is FAILED, never left IN_PROGRESS, and its processes are gone.</summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private readonly string _data = Directory.CreateTempSubdirectory("cairn-crash-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    private static Task<ProcessResult> Aws(CairnProcess server, params string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret,
            ["AWS_DEFAULT_REGION"] = "us-east-1",
        };
        return ClientProcess.RunAsync(ClientProcess.AwsCli, ["--endpoint-url", server.Endpoint, "--output", "json", .. arguments], environment);
    }

    private static async Task<JsonNode> BuildAsync(CairnProcess server, string id) =>
        (await Aws(server, "codebuild", "batch-get-builds", "--ids", id)).Ok()["builds"]![0]!;

    [Fact]
    public async Task A_build_running_when_the_server_is_killed_is_failed_on_restart_and_its_processes_are_killed()
    {
        // Unsandboxed, so the build's processes are plain host processes the test can watch; a sandboxed build's are
        // found and killed the same way, by the CODEBUILD_BUILD_ID in their environment.
        var server = await CairnProcess.StartAsync(_data, null, "--host-build-isolation", "none");
        string id;
        try
        {
            (await Aws(server, "iam", "create-role", "--role-name", "crash-role", "--assume-role-policy-document", Trust)).Ok();
            (await Aws(server, "codebuild", "create-project", "--name", "crash",
                "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 600\n" }.ToJsonString(),
                "--artifacts", "type=NO_ARTIFACTS", "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
                "--service-role", "arn:aws:iam::000000000000:role/crash-role")).Ok();
            id = (await Aws(server, "codebuild", "start-build", "--project-name", "crash")).Ok()["build"]!["id"]!.GetValue<string>();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            // Wait for the sleep itself: a shell still waiting for its command would just exit when the server's end of its stdin closes.
            while ((await BuildAsync(server, id))["currentPhase"]!.GetValue<string>() != "BUILD" || !Sleeping(id))
            {
                Assert.False(deadline.IsCancellationRequested, "the build never reached its sleep");
                await Task.Delay(100);
            }

            // Only the server dies, as with the OOM killer: the build's shell (its own session) lives on.
            using var kill = System.Diagnostics.Process.Start("kill", ["-KILL", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            // Until every thread of it has exited, the server still parents the build's shell (its main thread shows 'Z'
            // sooner), and disposing it (a tree kill) would take the build along: wait for the process to be reaped.
            await server.WaitForExitAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.True(Sleeping(id), "the build's sleep should outlive the killed server");
        await using var restarted = await CairnProcess.StartAsync(_data);
        var build = await BuildAsync(restarted, id);

        Assert.Equal("FAILED", build["buildStatus"]!.GetValue<string>());
        Assert.True(build["buildComplete"]!.GetValue<bool>());
        var phase = build["phases"]!.AsArray().Single(p => p!["phaseType"]!.GetValue<string>() == "BUILD")!;
        Assert.Equal("BUILD_INTERRUPTED", phase["contexts"]![0]!["statusCode"]!.GetValue<string>());
        Assert.Empty(MarkedProcesses.Find("CODEBUILD_BUILD_ID", id));
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_directory_leaves_the_first_ones_running_build_alone_and_can_stop_it()
    {
        await using var first = await CairnProcess.StartAsync(_data);
        (await Aws(first, "iam", "create-role", "--role-name", "shared-role", "--assume-role-policy-document", Trust)).Ok();
        (await Aws(first, "codebuild", "create-project", "--name", "shared",
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 600\n" }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS", "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", "arn:aws:iam::000000000000:role/shared-role")).Ok();
        var id = (await Aws(first, "codebuild", "start-build", "--project-name", "shared")).Ok()["build"]!["id"]!.GetValue<string>();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while (!Sleeping(id))
            {
                Assert.False(deadline.IsCancellationRequested, "the build never reached its sleep");
                await Task.Delay(100);
            }
        }

        // As `cairn build` (its own in-process server) or a second `cairn serve` on the same directory would.
        await using var second = await CairnProcess.StartAsync(_data);
        var seen = await BuildAsync(second, id);
        Assert.Equal("IN_PROGRESS", seen["buildStatus"]!.GetValue<string>());
        Assert.True(Sleeping(id), "the second server must not kill the first one's build");

        // StopBuild through the server that does not run the build: the one that does notices within a second or so.
        (await Aws(second, "codebuild", "stop-build", "--id", id)).Ok();
        using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(await BuildAsync(second, id))["buildComplete"]!.GetValue<bool>())
        {
            Assert.False(stopped.IsCancellationRequested, "the build never stopped");
            await Task.Delay(100);
        }

        Assert.Equal("STOPPED", (await BuildAsync(first, id))["buildStatus"]!.GetValue<string>());
        Assert.False(Sleeping(id), "a stopped build leaves nothing running");
    }

    private static bool Sleeping(string buildId) => MarkedProcesses.Find("CODEBUILD_BUILD_ID", buildId).Any(pid =>
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep";
        }
        catch (IOException)
        {
            return false;
        }
    });

    public async Task DisposeAsync()
    {
        await Task.Yield();
        Directory.Delete(_data, recursive: true);
    }
}
