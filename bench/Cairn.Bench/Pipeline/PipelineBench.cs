using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Bench.CodeBuild;
using Cairn.Bench.Load;

namespace Cairn.Bench.Pipeline;

/// <summary>
/// `pipeline [--rounds N] [--cairn cairn.dll]`: a V2 pipeline of 4 stages (a CodeStarSourceConnection source on a local
/// git repository, then 3 CodeBuild stages of one trivial host build each), StartPipelineExecution to Succeeded, against
/// the same work by hand in the same run (a git clone of the repository, then StartBuild and BatchGetBuilds until done,
/// three times). Prints a markdown report (progress on stderr); the issue's target is under 100 ms of overhead per stage.
/// </summary>
internal static class PipelineBench
{
    private const string Account = "000000000000";
    private const string PipelineName = "bench";
    private const int Stages = 4;
    private const int Builds = 3;
    private static readonly TimeSpan ClientPoll = TimeSpan.FromMilliseconds(20);
    private const string Buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo bench\n";

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = Option(args, "--rounds", 5);
        var cairn = Array.IndexOf(args, "--cairn") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var work = Directory.CreateTempSubdirectory("cairn-bench-pipeline-").FullName;
        try
        {
            var gitRoot = Path.Combine(work, "git");
            var repository = await MakeRepositoryAsync(gitRoot, Path.Combine(work, "seed"));
            await using var server = await BenchServer.StartAsync(new LoadOptions { CairnPath = cairn }, ["--source-root", gitRoot], CancellationToken.None);
            Console.Error.WriteLine($"server: {server.Description}");
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            var client = new AwsJsonClient(http, server.Endpoint, server.AccessKeyId, server.SecretAccessKey);
            await SetUpAsync(client, gitRoot);

            Console.Error.WriteLine("warm-up: one round of each, not recorded");
            await ByHandAsync(client, repository, work);
            await PipelineAsync(client);

            var results = new List<Round>();
            for (var i = 0; i < rounds; i++)
            {
                // Alternate which side goes first, so a load that comes and goes does not always land on the same one.
                ByHand hand;
                PipelineRun pipeline;
                if (i % 2 == 0)
                {
                    hand = await ByHandAsync(client, repository, work);
                    pipeline = await PipelineAsync(client);
                }
                else
                {
                    pipeline = await PipelineAsync(client);
                    hand = await ByHandAsync(client, repository, work);
                }

                results.Add(new Round(hand, pipeline));
                Console.Error.WriteLine(FormattableString.Invariant($"round {i + 1}: by hand {hand.TotalMs:F0} ms, pipeline {pipeline.ClientMs:F0} ms"));
            }

            Console.Write(Report(results, server.Description));
            return Median(results, r => r.OverheadPerStageMs) < 100 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<string> MakeRepositoryAsync(string gitRoot, string seed)
    {
        var bare = Path.Combine(gitRoot, "bench", "app");
        Directory.CreateDirectory(bare);
        Directory.CreateDirectory(seed);
        await GitAsync(bare, "init", "--quiet", "--bare", "--initial-branch=main");
        await GitAsync(seed, "init", "--quiet", "--initial-branch=main");
        await File.WriteAllTextAsync(Path.Combine(seed, "README.md"), "The pipeline bench's repository.\n");
        await GitAsync(seed, "add", "README.md");
        await GitAsync(seed, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "--quiet", "-m", "One commit");
        await GitAsync(seed, "push", "--quiet", bare, "main");
        return "file://" + bare;
    }

    private static async Task SetUpAsync(AwsJsonClient client, string gitRoot)
    {
        await IamAsync(client, "CreateRole", ("RoleName", "bench-pipeline"), ("AssumeRolePolicyDocument", Trust("codepipeline.amazonaws.com")));
        await IamAsync(client, "PutRolePolicy", ("RoleName", "bench-pipeline"), ("PolicyName", "run"), ("PolicyDocument",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:StartBuild","codebuild:BatchGetBuilds","codebuild:StopBuild","codeconnections:UseConnection"],"Resource":"*"}]}"""));
        await IamAsync(client, "CreateRole", ("RoleName", "bench-build"), ("AssumeRolePolicyDocument", Trust("codebuild.amazonaws.com")));

        // The same buildspec twice: started by hand (no source), and as the pipeline's action (the source artifact as input).
        await ProjectAsync(client, "bench-by-hand", "NO_SOURCE");
        await ProjectAsync(client, "bench-action", "CODEPIPELINE");

        var host = await client.JsonAsync("codeconnections", "com.amazonaws.codeconnections.CodeConnections_20231201.CreateHost",
            new JsonObject { ["Name"] = "bench", ["ProviderType"] = "GitLabSelfManaged", ["ProviderEndpoint"] = gitRoot }, CancellationToken.None);
        var connection = await client.JsonAsync("codeconnections", "com.amazonaws.codeconnections.CodeConnections_20231201.CreateConnection",
            new JsonObject { ["ConnectionName"] = "bench", ["HostArn"] = host["HostArn"]!.GetValue<string>() }, CancellationToken.None);
        var connectionArn = connection["ConnectionArn"]!.GetValue<string>();

        var stages = new JsonArray(new JsonObject
        {
            ["name"] = "Source",
            ["actions"] = new JsonArray(new JsonObject
            {
                ["name"] = "Fetch",
                ["actionTypeId"] = ActionType("Source", "CodeStarSourceConnection"),
                // DetectChanges off: the server's change detection would run git ls-remote in the background, unrelated to the executions measured.
                ["configuration"] = new JsonObject { ["ConnectionArn"] = connectionArn, ["FullRepositoryId"] = "bench/app", ["BranchName"] = "main", ["DetectChanges"] = "false" },
                ["outputArtifacts"] = new JsonArray(new JsonObject { ["name"] = "Src" }),
            }),
        });
        for (var i = 1; i <= Builds; i++)
        {
            stages.Add(new JsonObject
            {
                ["name"] = $"Build{i}",
                ["actions"] = new JsonArray(new JsonObject
                {
                    ["name"] = "Build",
                    ["actionTypeId"] = ActionType("Build", "CodeBuild"),
                    ["configuration"] = new JsonObject { ["ProjectName"] = "bench-action" },
                    ["inputArtifacts"] = new JsonArray(new JsonObject { ["name"] = "Src" }),
                }),
            });
        }

        await client.JsonAsync("codepipeline", "CodePipeline_20150709.CreatePipeline", new JsonObject
        {
            ["pipeline"] = new JsonObject
            {
                ["name"] = PipelineName,
                ["roleArn"] = $"arn:aws:iam::{Account}:role/bench-pipeline",
                ["artifactStore"] = new JsonObject { ["type"] = "S3", ["location"] = "cairn-bench-artifacts" },
                ["pipelineType"] = "V2",
                ["executionMode"] = "QUEUED",
                ["stages"] = stages,
            },
        }, CancellationToken.None);
    }

    /// <summary>What a user does by hand: clone the repository, then each build started and waited for before the next.</summary>
    private static async Task<ByHand> ByHandAsync(AwsJsonClient client, string repository, string work)
    {
        var started = Stopwatch.GetTimestamp();
        var clone = Path.Combine(work, "clone-" + Guid.NewGuid().ToString("N"));
        await GitAsync(work, "clone", "--quiet", "--depth", "1", "--branch", "main", repository, clone);
        var cloneMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var builds = new List<double>();
        for (var i = 0; i < Builds; i++)
        {
            var build = await client.JsonAsync("codebuild", "CodeBuild_20161006.StartBuild", new JsonObject { ["projectName"] = "bench-by-hand" }, CancellationToken.None);
            var id = build["build"]!["id"]!.GetValue<string>();
            JsonNode done;
            while (true)
            {
                var result = await client.JsonAsync("codebuild", "CodeBuild_20161006.BatchGetBuilds", new JsonObject { ["ids"] = new JsonArray(id) }, CancellationToken.None);
                done = result["builds"]![0]!;
                if (done["buildComplete"]!.GetValue<bool>())
                {
                    break;
                }

                await Task.Delay(ClientPoll);
            }

            Succeeded(done);
            builds.Add(ServerMs(done));
        }

        var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Directory.Delete(clone, recursive: true);
        return new ByHand(total, cloneMs, builds);
    }

    /// <summary>StartPipelineExecution, GetPipelineExecution until it is no longer InProgress; then the engine's own timestamps.</summary>
    private static async Task<PipelineRun> PipelineAsync(AwsJsonClient client)
    {
        var started = Stopwatch.GetTimestamp();
        var start = await client.JsonAsync("codepipeline", "CodePipeline_20150709.StartPipelineExecution", new JsonObject { ["name"] = PipelineName }, CancellationToken.None);
        var id = start["pipelineExecutionId"]!.GetValue<string>();
        string status;
        while (true)
        {
            var execution = await client.JsonAsync("codepipeline", "CodePipeline_20150709.GetPipelineExecution",
                new JsonObject { ["pipelineName"] = PipelineName, ["pipelineExecutionId"] = id }, CancellationToken.None);
            status = execution["pipelineExecution"]!["status"]!.GetValue<string>();
            if (status is not ("InProgress" or "Stopping"))
            {
                break;
            }

            await Task.Delay(ClientPoll);
        }

        var clientMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var actions = (await client.JsonAsync("codepipeline", "CodePipeline_20150709.ListActionExecutions",
            new JsonObject { ["pipelineName"] = PipelineName, ["filter"] = new JsonObject { ["pipelineExecutionId"] = id } }, CancellationToken.None))["actionExecutionDetails"]!.AsArray();
        if (status != "Succeeded")
        {
            throw new InvalidOperationException($"execution {id} ended {status}: {actions.ToJsonString()}");
        }

        var summaries = (await client.JsonAsync("codepipeline", "CodePipeline_20150709.ListPipelineExecutions",
            new JsonObject { ["pipelineName"] = PipelineName, ["maxResults"] = 10 }, CancellationToken.None))["pipelineExecutionSummaries"]!.AsArray();
        var summary = summaries.Single(s => s!["pipelineExecutionId"]!.GetValue<string>() == id)!;
        var engineMs = (Time(summary, "lastUpdateTime") - Time(summary, "startTime")) * 1000;

        var ordered = actions.Select(a => a!).OrderBy(a => Time(a, "startTime")).ToList();
        var actionMs = ordered.Select(a => (Time(a, "lastUpdateTime") - Time(a, "startTime")) * 1000).ToList();
        var buildIds = ordered.Skip(1).Select(a => a["output"]!["executionResult"]!["externalExecutionId"]!.GetValue<string>()).ToList();
        var builds = (await client.JsonAsync("codebuild", "CodeBuild_20161006.BatchGetBuilds",
            new JsonObject { ["ids"] = new JsonArray([.. buildIds.Select(b => (JsonNode)b)]) }, CancellationToken.None))["builds"]!.AsArray();
        foreach (var build in builds)
        {
            Succeeded(build!);
        }

        // From the execution's start to the first action's start, between one action's end and the next one's start, and after the last.
        var gaps = Time(ordered[0], "startTime") - Time(summary, "startTime")
            + ordered.Zip(ordered.Skip(1)).Sum(p => Time(p.Second, "startTime") - Time(p.First, "lastUpdateTime"))
            + Time(summary, "lastUpdateTime") - Time(ordered[^1], "lastUpdateTime");
        return new PipelineRun(clientMs, engineMs, gaps * 1000, actionMs[0], actionMs.Skip(1).ToList(), builds.Select(b => ServerMs(b!)).ToList());
    }

    private static string Report(IReadOnlyList<Round> results, string server)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} CPUs, {Environment.OSVersion}; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average {LoadAverage()}.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Server: {server}.");
        report.AppendLine();
        report.AppendLine("| round | by hand: clone + 3 builds (ms) | pipeline, client (ms) | overhead per stage (ms) | ratio | pipeline, engine (ms) | engine gaps between actions (ms) | source action (ms) | CodeBuild actions (ms) | their builds (ms) | builds by hand (ms) |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {i + 1} | {r.Hand.TotalMs:F0} (clone {r.Hand.CloneMs:F0}) | {r.Pipeline.ClientMs:F0} | {r.OverheadPerStageMs:F0} | {r.Ratio:F2} | {r.Pipeline.EngineMs:F0} | {r.Pipeline.GapsMs:F0} | {r.Pipeline.SourceMs:F0} | {List(r.Pipeline.ActionMs)} | {List(r.Pipeline.BuildMs)} | {List(r.Hand.BuildMs)} |");
        }

        var overhead = Median(results, r => r.OverheadPerStageMs);
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| median | {Median(results, r => r.Hand.TotalMs):F0} | {Median(results, r => r.Pipeline.ClientMs):F0} | **{overhead:F0}** | {Median(results, r => r.Ratio):F2} | {Median(results, r => r.Pipeline.EngineMs):F0} | {Median(results, r => r.Pipeline.GapsMs):F0} | {Median(results, r => r.Pipeline.SourceMs):F0} | {Median(results, r => r.Pipeline.ActionMs.Sum()):F0} (sum) | {Median(results, r => r.Pipeline.BuildMs.Sum()):F0} (sum) | {Median(results, r => r.Hand.BuildMs.Sum()):F0} (sum) |");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"- target: pipeline overhead per stage = (pipeline − by hand) / {Stages} < 100 ms: median {overhead:F0} ms (rounds {string.Join(", ", results.Select(r => r.OverheadPerStageMs.ToString("F0", CultureInfo.InvariantCulture)))}) -> {(overhead < 100 ? "PASS" : "FAIL")}");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"- per CodeBuild action, action time − its build's time (role session, StartBuild, noticing the end), median: {Median(results, r => r.Pipeline.ActionMs.Zip(r.Pipeline.BuildMs).Select(p => p.First - p.Second).Sum() / Builds):F0} ms");
        return report.ToString();
    }

    private static string List(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)));

    private static double Median(IReadOnlyList<Round> results, Func<Round, double> value)
    {
        var sorted = results.Select(value).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Succeeded(JsonNode build)
    {
        if (build["buildStatus"]!.GetValue<string>() != "SUCCEEDED")
        {
            throw new InvalidOperationException($"build {build["id"]} ended {build["buildStatus"]}: {build.ToJsonString()}");
        }
    }

    /// <summary>The build's own time as the server records it: submitted (startTime) to complete (endTime).</summary>
    private static double ServerMs(JsonNode build) => (Time(build, "endTime") - Time(build, "startTime")) * 1000;

    private static double Time(JsonNode node, string member) => node[member]!.GetValue<double>();

    private static JsonObject ActionType(string category, string provider) =>
        new() { ["category"] = category, ["owner"] = "AWS", ["provider"] = provider, ["version"] = "1" };

    private static Task ProjectAsync(AwsJsonClient client, string name, string sourceType) =>
        client.JsonAsync("codebuild", "CodeBuild_20161006.CreateProject", new JsonObject
        {
            ["name"] = name,
            ["source"] = new JsonObject { ["type"] = sourceType, ["buildspec"] = Buildspec },
            ["artifacts"] = new JsonObject { ["type"] = sourceType == "CODEPIPELINE" ? "CODEPIPELINE" : "NO_ARTIFACTS" },
            ["environment"] = new JsonObject { ["type"] = "LINUX_EC2", ["image"] = "host", ["computeType"] = "BUILD_GENERAL1_SMALL" },
            ["serviceRole"] = $"arn:aws:iam::{Account}:role/bench-build",
        }, CancellationToken.None);

    private static Task IamAsync(AwsJsonClient client, string action, params (string Key, string Value)[] parameters)
    {
        var form = new Dictionary<string, string> { ["Action"] = action, ["Version"] = "2010-05-08" };
        foreach (var (key, value) in parameters)
        {
            form[key] = value;
        }

        return client.QueryAsync("iam", form, CancellationToken.None);
    }

    private static string Trust(string service) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"{{service}}"},"Action":"sts:AssumeRole"}]}""";

    private static async Task GitAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("no git");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    private sealed record ByHand(double TotalMs, double CloneMs, IReadOnlyList<double> BuildMs);

    private sealed record PipelineRun(double ClientMs, double EngineMs, double GapsMs, double SourceMs, IReadOnlyList<double> ActionMs, IReadOnlyList<double> BuildMs);

    private sealed record Round(ByHand Hand, PipelineRun Pipeline)
    {
        public double OverheadPerStageMs => (Pipeline.ClientMs - Hand.TotalMs) / Stages;

        public double Ratio => Pipeline.ClientMs / Hand.TotalMs;
    }
}
