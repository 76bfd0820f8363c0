using System.Diagnostics;
using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Core.Builds;
using Cairn.EndToEnd.Tests.Infrastructure;
using Cairn.Runner.Processes;
using Cairn.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.EndToEnd.Tests.Builds;

/// <summary>
/// `cairn agents token create` and `cairn agent` as real processes against a server (lease 3 s): a build runs to
/// SUCCEEDED on the agent; then the agent is killed with SIGKILL mid-build and the build is failed as lost.
/// </summary>
public sealed class AgentProcessTests : IAsyncLifetime
{
    private const string RootKey = "AKIAAGENTPROCESS0001";
    private const string RootSecret = "agent-process-secret";
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-agent-process-").FullName;
    private CairnServer _server = null!;
    private AwsCli _aws = null!;

    public async Task InitializeAsync()
    {
        _server = await CairnServer.StartAsync(
            new CairnServerOptions { DataDirectory = Path.Combine(_directory, "data"), Port = 0, RootAccessKeyId = RootKey, RootSecretAccessKey = RootSecret },
            services => services.AddSingleton(CodeBuildOptions.FromEnvironment(Environment.GetEnvironmentVariable) with
            {
                AgentLeaseTimeout = TimeSpan.FromSeconds(3),
                AgentLeaseSweepInterval = TimeSpan.FromMilliseconds(250),
                AgentClaimHold = TimeSpan.FromSeconds(2),
            }));
        _aws = new AwsCli(_server.Endpoint.ToString().TrimEnd('/'), RootKey, RootSecret);
        await _aws.OkAsync("iam", "create-role", "--role-name", "agent-role", "--assume-role-policy-document", Trust);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_cairn_agent_process_runs_a_build_and_one_killed_mid_build_loses_it_after_its_lease()
    {
        var token = (await CairnAsync("agents", "token", "create", "--endpoint-url", _server.Endpoint.ToString())).Trim();
        Assert.StartsWith("cairnreg-", token, StringComparison.Ordinal);
        await ProjectAsync("quick", "echo built by the agent process");
        await ProjectAsync("slow", "sleep 60");

        using var agent = StartAgent("--token", token);
        try
        {
            var quick = await StartBuildAsync("quick");
            var done = await WaitAsync(quick, b => (string)b["buildStatus"]! != "IN_PROGRESS");
            Assert.Equal("SUCCEEDED", (string?)done["buildStatus"]);
            var log = await _aws.OkAsync("logs", "get-log-events", "--log-group-name", "/aws/codebuild/quick", "--log-stream-name", quick[(quick.LastIndexOf(':') + 1)..], "--start-from-head");
            Assert.Contains(log["events"]!.AsArray(), e => ((string)e!["message"]!).StartsWith("built by the agent process", StringComparison.Ordinal));
            var listed = await CairnAsync("agents", "list", "--endpoint-url", _server.Endpoint.ToString());
            Assert.Contains("labels=[linux]", listed, StringComparison.Ordinal);

            var slow = await StartBuildAsync("slow");
            await WaitAsync(slow, b => (string)b["currentPhase"]! == BuildPhaseTypes.Build);
            agent.Kill(entireProcessTree: false);
            var lost = await WaitAsync(slow, b => (string)b["buildStatus"]! != "IN_PROGRESS");

            Assert.Equal("FAILED", (string?)lost["buildStatus"]);
            Assert.Contains(lost["phases"]!.AsArray(), p => p!["contexts"]?.AsArray().Any(c => (string?)c!["statusCode"] == "AGENT_LOST") == true);
            await MarkedProcesses.KillAsync("CODEBUILD_BUILD_ID", slow, CancellationToken.None);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }
        }
    }

    private Process StartAgent(params string[] extra)
    {
        var start = Cairn(["agent", "--server", _server.Endpoint.ToString(), "--labels", "linux", "--work", Path.Combine(_directory, "agent"), .. extra]);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<string> CairnAsync(params string[] arguments)
    {
        using var process = Process.Start(Cairn(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"cairn {string.Join(' ', arguments)}: {await error}");
        return await output;
    }

    private static ProcessStartInfo Cairn(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cairn.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = RootKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = RootSecret;
        start.Environment.Remove("AWS_PROFILE");
        return start;
    }

    private Task ProjectAsync(string name, string command) => _aws.OkAsync("codebuild", "create-project", "--name", name,
        "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = $"version: 0.2\nphases:\n  build:\n    commands:\n      - {command}\n" }.ToJsonString(),
        "--artifacts", "type=NO_ARTIFACTS",
        "--environment", """{"type":"LINUX_EC2","image":"host","computeType":"BUILD_GENERAL1_SMALL","environmentVariables":[{"name":"CAIRN_AGENT_LABELS","value":"linux"}]}""",
        "--service-role", "arn:aws:iam::000000000000:role/agent-role");

    private async Task<string> StartBuildAsync(string project) =>
        (await _aws.OkAsync("codebuild", "start-build", "--project-name", project))["build"]!["id"]!.GetValue<string>();

    private async Task<JsonNode> WaitAsync(string id, Func<JsonNode, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var build = (await _aws.OkAsync("codebuild", "batch-get-builds", "--ids", id))["builds"]![0]!;
            if (condition(build))
            {
                return build;
            }

            Assert.False(deadline.IsCancellationRequested, $"build {id} never got there: {build["buildStatus"]} in {build["currentPhase"]}");
            await Task.Delay(250);
        }
    }
}
