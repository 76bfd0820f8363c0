using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Storage.Tests.Postgres;
using Npgsql;

namespace Cairn.Compat.Tests.Serve;

/// <summary>
/// Two `cairn serve` processes on one PostgreSQL database and two `cairn agent` processes, one registered through each
/// (the first given both servers): six builds started through either server all succeed, each run exactly once (every
/// run appends its build id to one file); then the first server is killed with SIGKILL while its agent long-polls it:
/// that agent moves to the second server and runs the builds started there.
/// </summary>
public sealed class PostgresAgentTests : IDisposable
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-pg-agents-").FullName;

    private static Task<ProcessResult> Aws(CairnProcess server, params string[] arguments) =>
        ClientProcess.RunAsync(ClientProcess.AwsCli, ["--endpoint-url", server.Endpoint, "--region", "us-east-1", "--output", "json", .. arguments],
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId, ["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret });

    [Fact]
    public async Task Two_servers_and_two_agents_run_each_build_once_and_an_agent_whose_server_dies_moves_to_the_other()
    {
        Assert.True(PostgresCluster.MissingReason is null, PostgresCluster.MissingReason);
        await using var database = await PostgresCluster.Shared.CreateDatabaseAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = true }.ConnectionString;
        var firstData = Directory.CreateDirectory(Path.Combine(_directory, "a")).FullName;
        var secondData = Directory.CreateDirectory(Path.Combine(_directory, "b")).FullName;
        var runs = Path.Combine(_directory, "runs.txt");

        await using var first = await CairnProcess.StartAsync(firstData, null, "--database", connectionString);
        File.Copy(Path.Combine(firstData, "master.key"), Path.Combine(secondData, "master.key"));
        File.SetUnixFileMode(Path.Combine(secondData, "master.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var second = await CairnProcess.StartAsync(secondData, null, "--database", connectionString);

        (await Aws(first, "iam", "create-role", "--role-name", "pg-agent-build", "--assume-role-policy-document", Trust)).Ok();
        (await Aws(first, "codebuild", "create-project", "--name", "counted",
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = $"version: 0.2\nphases:\n  build:\n    commands:\n      - echo $CODEBUILD_BUILD_ID >> {runs}\n      - sleep 1\n" }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS",
            "--environment", """{"type":"LINUX_EC2","image":"host","computeType":"BUILD_GENERAL1_SMALL","environmentVariables":[{"name":"CAIRN_AGENT_LABELS","value":"linux"}]}""",
            "--service-role", "arn:aws:iam::000000000000:role/pg-agent-build")).Ok();

        using var agentOfFirst = await StartAgentAsync(first, "agent-a", second);
        using var agentOfSecond = await StartAgentAsync(second, "agent-b");
        try
        {
            var ids = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                ids.Add((await Aws(i % 2 == 0 ? first : second, "codebuild", "start-build", "--project-name", "counted")).Ok()["build"]!["id"]!.GetValue<string>());
            }

            using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
            {
                while (true)
                {
                    var builds = (await Aws(second, ["codebuild", "batch-get-builds", "--ids", .. ids])).Ok()["builds"]!.AsArray();
                    if (builds.All(b => b!["buildComplete"]!.GetValue<bool>()))
                    {
                        Assert.All(builds, b => Assert.True((string?)b!["buildStatus"] == "SUCCEEDED", b!.ToJsonString()));
                        break;
                    }

                    Assert.False(deadline.IsCancellationRequested, "the builds never completed:\n" + agentOfFirst.Output + agentOfSecond.Output);
                    await Task.Delay(250);
                }
            }

            var ran = File.ReadAllLines(runs).Where(line => line.Length > 0).ToArray();
            Assert.Equal(ids.Order(StringComparer.Ordinal), ran.Order(StringComparer.Ordinal));
            Assert.Contains("claimed", agentOfFirst.Output, StringComparison.Ordinal);
            Assert.Contains("claimed", agentOfSecond.Output, StringComparison.Ordinal);

            // The first server dies while its agent long-polls it: the agent moves to the second server.
            await first.KillAsync();
            using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            {
                while (!agentOfFirst.Output.Contains($"server {first.Endpoint}/ cannot be reached", StringComparison.Ordinal)
                       || !agentOfFirst.Output.Contains($"moving to {second.Endpoint}/", StringComparison.Ordinal))
                {
                    Assert.False(deadline.IsCancellationRequested, "the agent never moved to the other server:\n" + agentOfFirst.Output);
                    await Task.Delay(200);
                }
            }

            // With the second server's own agent stopped, builds started there run on the agent that moved.
            agentOfSecond.Stop();
            var after = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                after.Add((await Aws(second, "codebuild", "start-build", "--project-name", "counted")).Ok()["build"]!["id"]!.GetValue<string>());
            }

            using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            {
                while (true)
                {
                    var builds = (await Aws(second, ["codebuild", "batch-get-builds", "--ids", .. after])).Ok()["builds"]!.AsArray();
                    if (builds.All(b => b!["buildComplete"]!.GetValue<bool>()))
                    {
                        Assert.All(builds, b => Assert.True((string?)b!["buildStatus"] == "SUCCEEDED", b!.ToJsonString()));
                        break;
                    }

                    Assert.False(deadline.IsCancellationRequested, "the builds after the kill never completed:\n" + agentOfFirst.Output);
                    await Task.Delay(250);
                }
            }

            Assert.All(after, id => Assert.Contains($"build {id} claimed", agentOfFirst.Output, StringComparison.Ordinal));
            Assert.False(agentOfFirst.HasExited, agentOfFirst.Output);
        }
        finally
        {
            agentOfFirst.Stop();
            agentOfSecond.Stop();
        }
    }

    private async Task<AgentProcess> StartAgentAsync(CairnProcess server, string name, CairnProcess? alsoServer = null)
    {
        var token = (await RunCairnAsync("agents", "token", "create", "--endpoint-url", server.Endpoint)).Trim();
        Assert.StartsWith("cairnreg-", token, StringComparison.Ordinal);
        string[] servers = alsoServer is null ? ["--server", server.Endpoint] : ["--server", server.Endpoint, "--server", alsoServer.Endpoint];
        return AgentProcess.Start(["agent", .. servers, "--token", token, "--labels", "linux", "--work", Path.Combine(_directory, name)]);
    }

    private static async Task<string> RunCairnAsync(params string[] arguments)
    {
        var start = Start(arguments);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stderr);
        return await stdout;
    }

    private static ProcessStartInfo Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "cairn")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret;
        start.Environment.Remove("AWS_PROFILE");
        return start;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A `cairn agent` process and what it has printed.</summary>
    private sealed class AgentProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();

        private AgentProcess(Process process) => _process = process;

        public string Output => string.Join('\n', _lines);

        public bool HasExited => _process.HasExited;

        public static AgentProcess Start(IEnumerable<string> arguments)
        {
            var agent = new AgentProcess(Process.Start(PostgresAgentTests.Start(arguments))!);
            agent._process.OutputDataReceived += (_, e) => agent._lines.Enqueue(e.Data ?? string.Empty);
            agent._process.ErrorDataReceived += (_, e) => agent._lines.Enqueue(e.Data ?? string.Empty);
            agent._process.BeginOutputReadLine();
            agent._process.BeginErrorReadLine();
            return agent;
        }

        public void Stop()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        public void Dispose() => _process.Dispose();
    }
}
