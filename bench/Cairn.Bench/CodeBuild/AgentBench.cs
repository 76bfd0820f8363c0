using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Runner.Agents;
using Cairn.Runner.Builds;
using Cairn.Server.Hosting;
using static Cairn.Bench.CodeBuild.BenchBuilds;

namespace Cairn.Bench.CodeBuild;

/// <summary>
/// `agents [--runs N] [--builds N] [--database CONNECTION]`: build agents against one server (SQLite, or PostgreSQL with
/// --database). (1) StartBuild to the first command's output read on the server's live log, for a build an agent runs
/// (a real <see cref="BuildAgentHost"/> with the host executor, over HTTP) against the same build run by the server's
/// own worker, alternating; (2) builds claimed per second by 1 and by 8 agents (claim, then complete at once: the
/// claim path alone, long-poll included). Prints a markdown report (progress on stderr).
/// </summary>
internal static class AgentBench
{
    private const string Marker = "cairn-bench-agent-first-output";
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string KeyId = "AKIDBENCHAGENTS00001";
    private const string Secret = "bench-agents-secret";

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Option(args, "--runs", 10);
        var builds = Option(args, "--builds", 200);
        var at = Array.IndexOf(args, "--database");
        var database = at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var data = Directory.CreateTempSubdirectory("cairn-bench-agents-").FullName;
        // The server's log lines go to stderr with the progress; stdout keeps just the report.
        var report = Console.Out;
        Console.SetOut(Console.Error);
        var server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = data, Port = 0, RootAccessKeyId = KeyId, RootSecretAccessKey = Secret, Database = database });
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            var client = new AwsJsonClient(http, server.Endpoint, KeyId, Secret);
            await client.QueryAsync("iam", new Dictionary<string, string>
            {
                ["Action"] = "CreateRole", ["Version"] = "2010-05-08", ["RoleName"] = "bench-role", ["AssumeRolePolicyDocument"] = Trust,
            }, CancellationToken.None);
            var firstOutput = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo " + Marker + "\n";
            await CreateProjectAsync(client, "on-agent", firstOutput, "bench");
            await CreateProjectAsync(client, "on-server", firstOutput);
            await CreateProjectAsync(client, "claimed", "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n", "claim");

            // One real agent: the `cairn agent` loop in this process, over HTTP, running builds with the host executor. It
            // runs while the agent's build is measured and is stopped for the server's (an agent takes unlabelled builds too).
            var agent = await RegisterAsync(client, http, server.Endpoint, "bench");
            var settings = new BuildAgentSettings(server.Endpoint, Path.Combine(data, "agent"));
            Console.Error.WriteLine($"first output: {runs} builds on the agent and {runs} on the server's worker, alternating");
            var onAgent = new List<double>();
            var onServer = new List<double>();
            for (var i = -1; i < runs; i++)
            {
                using (var stopAgent = new CancellationTokenSource())
                {
                    var agentLoop = Task.Run(() => new BuildAgentHost(agent, settings, new BuildExecutor(), _ => { }).RunAsync(stopAgent.Token));
                    var agentMs = await TimeToFirstOutputAsync(client, "on-agent", Marker);
                    await stopAgent.CancelAsync();
                    await agentLoop;
                    var serverMs = await TimeToFirstOutputAsync(client, "on-server", Marker);
                    if (i >= 0)
                    {
                        // Round -1 is the warm-up: the first build pays JIT on both sides.
                        onAgent.Add(agentMs);
                        onServer.Add(serverMs);
                    }
                }
            }

            var claims = new List<(int Agents, double PerSecond)>();
            foreach (var agents in new[] { 1, 8 })
            {
                Console.Error.WriteLine($"claims: {builds} queued builds, {agents} agent(s)");
                claims.Add((agents, await ClaimsPerSecondAsync(client, http, server.Endpoint, agents, builds)));
            }

            var table = new StringBuilder();
            table.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} CPUs, {Environment.OSVersion}; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; storage {(database is null ? "SQLite" : "PostgreSQL")}.");
            table.AppendLine();
            table.AppendLine("| measure | result | baseline in the same run | ratio |");
            table.AppendLine("|---|---|---|---|");
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| StartBuild to first output, build on an agent, {runs} runs | p50 {Percentile(onAgent, 50):F0} ms, max {onAgent.Max():F0} ms | server's own worker: p50 {Percentile(onServer, 50):F0} ms, max {onServer.Max():F0} ms | {Percentile(onAgent, 50) / Percentile(onServer, 50):F2} |");
            foreach (var (agents, perSecond) in claims)
            {
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| builds claimed per second, {agents} agent(s), {builds} queued | {perSecond:F0} claims/s | 1 agent: {claims[0].PerSecond:F0} claims/s | {perSecond / claims[0].PerSecond:F2} |");
            }

            report.Write(table.ToString());
            return 0;
        }
        finally
        {
            await server.DisposeAsync();
            Console.SetOut(report);
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<AgentClient> RegisterAsync(AwsJsonClient client, HttpClient http, Uri endpoint, string label)
    {
        var token = (await client.JsonAsync("codebuild", AgentProtocol.AdminTargetPrefix + "CreateRegistrationToken", [], CancellationToken.None, AgentProtocol.AdminPath))["token"]!.GetValue<string>();
        var registration = await AgentClient.RegisterAsync(http, endpoint, new AgentRegistrationRequest(token, "bench-" + label, [label]), CancellationToken.None);
        return new AgentClient(http, endpoint, registration.AgentId, registration.AgentSecret);
    }

    /// <summary>Queues <paramref name="count"/> builds, then <paramref name="agents"/> agents claim and complete them as fast as the server hands them out.</summary>
    private static async Task<double> ClaimsPerSecondAsync(AwsJsonClient client, HttpClient http, Uri endpoint, int agents, int count)
    {
        var clients = new List<AgentClient>();
        for (var i = 0; i < agents; i++)
        {
            clients.Add(await RegisterAsync(client, http, endpoint, "claim"));
        }

        for (var i = 0; i < count; i++)
        {
            await client.JsonAsync("codebuild", "CodeBuild_20161006.StartBuild", new JsonObject { ["projectName"] = "claimed" }, CancellationToken.None);
        }

        var claimed = 0;
        using var done = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(clients.Select(agent => Task.Run(async () =>
        {
            try
            {
                while (Volatile.Read(ref claimed) < count)
                {
                    var build = await agent.ClaimAsync(done.Token);
                    if (build is null)
                    {
                        continue;
                    }

                    await agent.CompleteAsync(build.Uuid, new AgentCompletion(build.LeaseToken, "SUCCEEDED", [], []), done.Token);
                    if (Interlocked.Increment(ref claimed) == count)
                    {
                        await done.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
                // All claimed: the others' long-polls end here.
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return claimed != count ? throw new InvalidOperationException($"only {claimed} of {count} builds were claimed in 5 minutes") : count / elapsed;
    }
}
