using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using static Cairn.Bench.CodeBuild.BenchBuilds;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Server.Hosting;

namespace Cairn.Bench.CodeBuild;

/// <summary>
/// `codebuild [--runs N] [--builds N]`: how long a build takes to show its first command's output after StartBuild (host
/// shell, read through the live log endpoint), and builds per minute for 8 queued trivial builds; each next to running
/// the same commands directly with /bin/sh. Prints a markdown report (progress on stderr).
/// </summary>
internal static class CodeBuildBench
{
    private const string Marker = "cairn-bench-first-output";
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string FirstOutputBuildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo " + Marker + "\n";
    private const string TrivialBuildspec = "version: 0.2\nphases:\n  install:\n    commands:\n      - echo install\n  build:\n    commands:\n      - echo build\n      - true\n  post_build:\n    commands:\n      - echo done\n";
    private static readonly string[] TrivialCommands = ["echo install", "echo build", "true", "echo done"];

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Option(args, "--runs", 10);
        var builds = Option(args, "--builds", 8);
        var data = Directory.CreateTempSubdirectory("cairn-bench-codebuild-").FullName;
        const string KeyId = "AKIDBENCHCODEBUILD01";
        const string Secret = "bench-codebuild-secret";
        var server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = data, Port = 0, RootAccessKeyId = KeyId, RootSecretAccessKey = Secret });
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            var client = new AwsJsonClient(http, server.Endpoint, KeyId, Secret);
            await client.QueryAsync("iam", new Dictionary<string, string>
            {
                ["Action"] = "CreateRole", ["Version"] = "2010-05-08", ["RoleName"] = "bench-role", ["AssumeRolePolicyDocument"] = Trust,
            }, CancellationToken.None);
            await CreateProjectAsync(client, "bench-first", FirstOutputBuildspec);
            await CreateProjectAsync(client, "bench-trivial", TrivialBuildspec);

            Console.Error.WriteLine($"first output: {runs} builds, one at a time");
            var firstOutput = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                firstOutput.Add(await TimeToFirstOutputAsync(client, "bench-first", Marker));
            }

            var direct = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await ShAsync("echo " + Marker);
                direct.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            Console.Error.WriteLine($"throughput: {builds} builds queued at once");
            var throughput = await BuildsPerMinuteAsync(client, builds);
            var workers = server.Services.GetService(typeof(Cairn.Application.Builds.CodeBuildOptions)) is Cairn.Application.Builds.CodeBuildOptions o ? o.MaxConcurrentBuilds : 0;
            var directSequential = await DirectPerMinuteAsync(builds, parallel: 1);
            var directParallel = await DirectPerMinuteAsync(builds, parallel: Math.Max(1, workers));

            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} CPUs, {Environment.OSVersion}; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
            report.AppendLine();
            report.AppendLine("| measure | Cairn build | same commands with /bin/sh |");
            report.AppendLine("|---|---|---|");
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| StartBuild to first command output (host shell), {runs} runs | p50 {Percentile(firstOutput, 50):F0} ms, min {firstOutput.Min():F0} ms, max {firstOutput.Max():F0} ms | p50 {Percentile(direct, 50):F1} ms (`sh -c 'echo ...'`) |");
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {builds} trivial builds queued at once ({workers} workers) | {throughput:F0} builds/min | {directSequential:F0} runs/min one at a time, {directParallel:F0} runs/min {workers} at a time |");
            Console.Write(report.ToString());
            return 0;
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<double> BuildsPerMinuteAsync(AwsJsonClient client, int count)
    {
        var started = Stopwatch.GetTimestamp();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var build = await client.JsonAsync("codebuild", "CodeBuild_20161006.StartBuild", new JsonObject { ["projectName"] = "bench-trivial" }, CancellationToken.None);
            ids.Add(build["build"]!["id"]!.GetValue<string>());
        }

        while (true)
        {
            var result = await client.JsonAsync("codebuild", "CodeBuild_20161006.BatchGetBuilds", new JsonObject { ["ids"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray()) }, CancellationToken.None);
            var builds = result["builds"]!.AsArray();
            if (builds.All(b => b!["buildComplete"]!.GetValue<bool>()))
            {
                var failed = builds.Where(b => b!["buildStatus"]!.GetValue<string>() != "SUCCEEDED").Select(b => b!["id"]!.GetValue<string>()).ToList();
                if (failed.Count > 0)
                {
                    throw new InvalidOperationException($"builds did not succeed: {string.Join(", ", failed)}");
                }

                return count / Stopwatch.GetElapsedTime(started).TotalMinutes;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The trivial build's commands run straight through /bin/sh, one shell per run, <paramref name="parallel"/> at a time.</summary>
    private static async Task<double> DirectPerMinuteAsync(int count, int parallel)
    {
        var started = Stopwatch.GetTimestamp();
        using var gate = new SemaphoreSlim(parallel);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                await ShAsync(string.Join('\n', TrivialCommands));
            }
            finally
            {
                gate.Release();
            }
        }));
        return count / Stopwatch.GetElapsedTime(started).TotalMinutes;
    }

    private static async Task ShAsync(string script)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script }, RedirectStandardOutput = true }) ?? throw new InvalidOperationException("no /bin/sh");
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
    }
}
