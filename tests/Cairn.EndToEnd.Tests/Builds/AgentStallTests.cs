using System.Collections.Concurrent;
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
/// A `cairn agent` process suspended with SIGSTOP past its lease (3 s) while its build prints a line every 200 ms:
/// the server fails the build as AGENT_LOST once; resumed with SIGCONT, the agent's log chunks, heartbeats and
/// completion are refused (409 LeaseLost) and change nothing, and the agent goes on to claim and run the next build.
/// </summary>
public sealed class AgentStallTests : IAsyncLifetime
{
    private const string RootKey = "AKIAAGENTSTALL000001";
    private const string RootSecret = "agent-stall-secret";
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-agent-stall-").FullName;
    private readonly ConcurrentQueue<string> _agentOutput = new();
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
    public async Task An_agent_suspended_past_its_lease_loses_the_build_once_and_changes_nothing_when_it_wakes()
    {
        var token = (await CairnAsync("agents", "token", "create", "--endpoint-url", _server.Endpoint.ToString())).Trim();
        await ProjectAsync("ticking", "for i in $(seq 1 300); do echo tick $i; sleep 0.2; done");
        await ProjectAsync("quick", "echo after the stall");

        using var agent = StartAgent("--token", token);
        try
        {
            var ticking = await StartBuildAsync("ticking");
            await WaitAsync(ticking, b => (string)b["currentPhase"]! == BuildPhaseTypes.Build);
            await WaitForLogAsync("ticking", ticking, events => events.Any(e => e.StartsWith("tick 3", StringComparison.Ordinal)));

            await SignalAsync("STOP", agent.Id);
            var lost = await WaitAsync(ticking, b => (string)b["buildStatus"]! != "IN_PROGRESS");
            Assert.Equal("FAILED", (string?)lost["buildStatus"]);
            Assert.Single(AgentLost(lost));
            var logAtSweep = await LogAsync("ticking", ticking);
            Assert.Single(logAtSweep, line => line.Contains("stopped reporting for more than", StringComparison.Ordinal));

            // Stopped well past the lease (and past more sweeps), while the build's shell keeps printing into the agent's pipe.
            await Task.Delay(TimeSpan.FromSeconds(2));
            await SignalAsync("CONT", agent.Id);
            await WaitForAgentAsync(line => line.Contains($"build {ticking} ended: lease lost", StringComparison.Ordinal));

            var after = (await _aws.OkAsync("codebuild", "batch-get-builds", "--ids", ticking))["builds"]![0]!;
            Assert.Equal("FAILED", (string?)after["buildStatus"]);
            Assert.Equal((string?)lost["endTime"]?.ToString(), (string?)after["endTime"]?.ToString());
            Assert.Equal(lost["phases"]!.ToJsonString(), after["phases"]!.ToJsonString());
            Assert.Single(AgentLost(after));
            Assert.Equal(logAtSweep, await LogAsync("ticking", ticking));

            // The agent is still registered and well: it claims and runs the next build.
            Assert.False(agent.HasExited, "the agent exited after losing its lease: " + string.Join('\n', _agentOutput));
            var quick = await StartBuildAsync("quick");
            var done = await WaitAsync(quick, b => (string)b["buildStatus"]! != "IN_PROGRESS");
            Assert.Equal("SUCCEEDED", (string?)done["buildStatus"]);
            Assert.Contains(await LogAsync("quick", quick), line => line.StartsWith("after the stall", StringComparison.Ordinal));
            await MarkedProcesses.KillAsync("CODEBUILD_BUILD_ID", ticking, CancellationToken.None);
        }
        finally
        {
            if (!agent.HasExited)
            {
                await SignalAsync("CONT", agent.Id);
                agent.Kill(entireProcessTree: true);
            }
        }
    }

    private static JsonNode[] AgentLost(JsonNode build) =>
        [.. build["phases"]!.AsArray().SelectMany(p => p!["contexts"]?.AsArray() ?? []).Where(c => (string?)c!["statusCode"] == "AGENT_LOST").Select(c => c!)];

    private static async Task SignalAsync(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private async Task WaitForAgentAsync(Func<string, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!_agentOutput.Any(condition))
        {
            Assert.False(deadline.IsCancellationRequested, "the agent never said so:\n" + string.Join('\n', _agentOutput));
            await Task.Delay(100);
        }
    }

    private async Task<string[]> LogAsync(string project, string id)
    {
        var log = await _aws.OkAsync("logs", "get-log-events", "--log-group-name", "/aws/codebuild/" + project, "--log-stream-name", id[(id.LastIndexOf(':') + 1)..], "--start-from-head");
        return [.. log["events"]!.AsArray().Select(e => (string)e!["message"]!)];
    }

    private async Task WaitForLogAsync(string project, string id, Func<string[], bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition(await LogAsync(project, id)))
        {
            Assert.False(deadline.IsCancellationRequested, $"the log of {id} never got there");
            await Task.Delay(250);
        }
    }

    private Process StartAgent(params string[] extra)
    {
        var start = Cairn(["agent", "--server", _server.Endpoint.ToString(), "--labels", "linux", "--work", Path.Combine(_directory, "agent"), .. extra]);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => _agentOutput.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => _agentOutput.Enqueue(e.Data ?? string.Empty);
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
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
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
