using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Cairn.Application.Builds;
using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Executions;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Core.Pipelines;
using Cairn.Server.Hosting;
using Cairn.Storage.Artifacts;
using Cairn.Storage.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Compat.Tests.Serve;

/// <summary>
/// Two in-process servers on one PostgreSQL database, each its own pipeline runner: an action runs on the server that
/// launched it, and on no other while that server is alive (a server starting or sweeping leaves it alone); when its
/// server stops, the other runs it again at once; when its server goes silent past the lease, the other takes it over
/// and the silent one's late outcome is dropped. Each server's Build runner is held by the test, so who ran what is known.
/// </summary>
public sealed class PostgresPipelineRunnerTests : IDisposable
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codepipeline.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-pg-pipelines-").FullName;

    [Fact]
    public async Task An_action_runs_on_one_server_and_the_other_runs_it_again_only_once_that_server_stops()
    {
        Assert.True(PostgresCluster.MissingReason is null, PostgresCluster.MissingReason);
        await using var database = await PostgresCluster.Shared.CreateDatabaseAsync();
        await using var a = await StartAsync(database.ConnectionString, "a", new PipelineEngineOptions(Runner: "test-host-a/1/1", SweepInterval: TimeSpan.FromMilliseconds(200)));
        {
            var execution = await CreatePipelineAsync(a, "handover");
            var actionId = await a.Runner.StartedAsync();

            // A second server starts (its first sweep resumes "orphaned" actions) and sweeps several times: not this one.
            await using var b = await StartAsync(database.ConnectionString, "b", new PipelineEngineOptions(Runner: "test-host-b/2/2", SweepInterval: TimeSpan.FromMilliseconds(200)), a);
            await Task.Delay(1_500);
            Assert.Empty(b.Runner.Started);

            // The first server stops (its action stays InProgress, its runner forgets itself): the second runs it again.
            await a.DisposeAsync();
            var again = await b.Runner.StartedAsync();
            Assert.Equal(actionId, again);
            b.Runner.Finish(ActionOutcome.Success("built on b", [], new Dictionary<string, string>()));
            var done = await StatusAsync(b, "handover", execution, "Succeeded");

            Assert.Equal([actionId], a.Runner.Started);
            Assert.Equal([actionId], b.Runner.Started);
            Assert.Equal("built on b", Action(done, "Compile")?["output"]?["executionResult"]?["externalExecutionSummary"]?.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_server_silent_past_the_lease_loses_its_action_to_the_other_and_its_late_outcome_is_dropped()
    {
        Assert.True(PostgresCluster.MissingReason is null, PostgresCluster.MissingReason);
        await using var database = await PostgresCluster.Shared.CreateDatabaseAsync();
        // The first server says it is alive once, at start, and then never again (as a stopped process): the second's lease is 1 s.
        await using var a = await StartAsync(database.ConnectionString, "a", new PipelineEngineOptions(Runner: "test-host-a/1/1", SweepInterval: TimeSpan.FromHours(1)));
        {
            var execution = await CreatePipelineAsync(a, "stalled");
            var actionId = await a.Runner.StartedAsync();
            // Started only now: a server with a 1 s lease started earlier could take the Source action from the silent one first.
            await using var b = await StartAsync(database.ConnectionString, "b",
                new PipelineEngineOptions(Runner: "test-host-b/2/2", SweepInterval: TimeSpan.FromMilliseconds(200), RunnerTimeout: TimeSpan.FromSeconds(1)), a);

            var taken = await b.Runner.StartedAsync();
            Assert.Equal(actionId, taken);
            // The first server wakes up and says the action failed: it is not its action any more.
            a.Runner.Finish(ActionOutcome.Failure("JobFailed", "late outcome from the silent server"));
            await Task.Delay(1_000);
            Assert.Equal("InProgress", await StatusOfAsync(b, "stalled", execution));

            b.Runner.Finish(ActionOutcome.Success("built on b", [], new Dictionary<string, string>()));
            await StatusAsync(b, "stalled", execution, "Succeeded");
            Assert.Equal([actionId], b.Runner.Started);
        }
    }

    [Fact]
    public async Task A_pipeline_run_by_one_server_builds_on_the_other_and_passes_artifacts_through_the_database()
    {
        Assert.True(PostgresCluster.MissingReason is null, PostgresCluster.MissingReason);
        await using var database = await PostgresCluster.Shared.CreateDatabaseAsync();
        // The first server runs pipelines and no builds; the second runs builds and no pipelines.
        await using var pipelines = await StartAsync(database.ConnectionString, "pipelines", new PipelineEngineOptions(Runner: "test-host-p/3/3"),
            builds: new CodeBuildOptions { HostBuildIsolation = HostBuildIsolation.None, RunsBuilds = false }, heldBuilds: false);
        await using var builder = await StartAsync(database.ConnectionString, "builder", new PipelineEngineOptions(RunsPipelines: false, Runner: "test-host-q/4/4"),
            pipelines, heldBuilds: false);
        const string CodeBuildTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
        (await Aws(pipelines, "iam", "create-role", "--role-name", "e2e-build", "--assume-role-policy-document", CodeBuildTrust)).Ok();
        (await Aws(pipelines, "codebuild", "create-project", "--name", "app", "--source", "type=CODEPIPELINE", "--artifacts", "type=CODEPIPELINE",
            "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL", "--service-role", "arn:aws:iam::000000000000:role/e2e-build")).Ok();
        (await Aws(builder, "codebuild", "create-project", "--name", "check",
            "--source", new JsonObject { ["type"] = "CODEPIPELINE", ["buildspec"] = "version: 0.2\nphases:\n  build:\n    commands:\n      - grep -x 'built from hello from the source' result.txt\n" }.ToJsonString(),
            "--artifacts", "type=CODEPIPELINE",
            "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL", "--service-role", "arn:aws:iam::000000000000:role/e2e-build")).Ok();

        var execution = await CreatePipelineAsync(pipelines, "e2e", """
            {"name":"Build","actions":[{"name":"Compile","actionTypeId":{"category":"Build","owner":"AWS","provider":"CodeBuild","version":"1"},
              "configuration":{"ProjectName":"app"},"inputArtifacts":[{"name":"Src"}],"outputArtifacts":[{"name":"Built"}]}]},
            {"name":"Test","actions":[{"name":"Check","actionTypeId":{"category":"Test","owner":"AWS","provider":"CodeBuild","version":"1"},
              "configuration":{"ProjectName":"check"},"inputArtifacts":[{"name":"Built"}]}]}
            """, """{"Effect":"Allow","Action":["codebuild:StartBuild","codebuild:BatchGetBuilds","codebuild:StopBuild"],"Resource":"*"}""");
        var ended = await EndedAsync(builder, "e2e", execution);
        var actions = (await Aws(builder, "codepipeline", "list-action-executions", "--pipeline-name", "e2e", "--filter", $"pipelineExecutionId={execution}")).Ok();
        if (ended != "Succeeded")
        {
            Assert.Fail($"the execution ended {ended}:\n{await DiagnoseAsync(pipelines, "e2e", actions)}");
        }

        var buildIds = actions["actionExecutionDetails"]!.AsArray()
            .Where(d => d!["actionName"]!.GetValue<string>() is "Compile" or "Check")
            .Select(d => d!["output"]!["executionResult"]!["externalExecutionId"]!.GetValue<string>()).ToArray();
        Assert.Equal(2, buildIds.Length);
        var builds = (await Aws(pipelines, ["codebuild", "batch-get-builds", "--ids", .. buildIds])).Ok()["builds"]!.AsArray();
        Assert.All(builds, b => Assert.Equal("SUCCEEDED", b!["buildStatus"]!.GetValue<string>()));
        // Nothing of the pipeline's artifacts is in either server's data directory: they went through the database.
        Assert.False(Directory.Exists(Path.Combine(pipelines.Data, "artifacts")));
        Assert.False(Directory.Exists(Path.Combine(builder.Data, "artifacts")));
    }

    private async Task<Server> StartAsync(string connectionString, string name, PipelineEngineOptions engine, Server? first = null,
        CodeBuildOptions? builds = null, bool heldBuilds = true)
    {
        var data = Directory.CreateDirectory(Path.Combine(_directory, name)).FullName;
        if (first is not null)
        {
            // Servers on one database share one master key, as `cairn serve --database` requires.
            File.Copy(Path.Combine(first.Data, "master.key"), Path.Combine(data, "master.key"));
        }

        var runner = new HeldBuildRunner();
        var server = await CairnServer.StartAsync(
            new CairnServerOptions { DataDirectory = data, Database = connectionString, Port = 0, RootAccessKeyId = CairnFixture.RootKeyId, RootSecretAccessKey = CairnFixture.RootSecret },
            services =>
            {
                services.AddSingleton(engine);
                services.AddSingleton<IPipelineActionRunner>(provider => new InstantSourceRunner(provider.GetRequiredService<IArtifactStore>()));
                if (heldBuilds)
                {
                    services.AddSingleton<IPipelineActionRunner>(runner);
                }

                // Host builds without bubblewrap, as CodeBuildActionTests runs them (a root server's sandbox loses exported variables).
                services.AddSingleton(builds ?? new CodeBuildOptions { HostBuildIsolation = HostBuildIsolation.None });
            });
        return new Server(server, data, runner);
    }

    private static Task<ProcessResult> Aws(Server server, params string[] arguments) =>
        ClientProcess.RunAsync(ClientProcess.AwsCli, ["--endpoint-url", server.Endpoint, "--region", "us-east-1", "--output", "json", .. arguments],
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId, ["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret });

    /// <summary>Creates a Source then Build pipeline through <paramref name="server"/>; returns the execution its creation started.</summary>
    private async Task<string> CreatePipelineAsync(Server server, string name, string? stages = null, string? rolePolicy = null)
    {
        (await Aws(server, "iam", "create-role", "--role-name", "runner-" + name, "--assume-role-policy-document", Trust)).Ok();
        if (rolePolicy is not null)
        {
            (await Aws(server, "iam", "put-role-policy", "--role-name", "runner-" + name, "--policy-name", "p",
                "--policy-document", $$$"""{"Version":"2012-10-17","Statement":[{{{rolePolicy}}}]}""")).Ok();
        }

        stages ??= """
            {"name":"Build","actions":[{"name":"Compile","actionTypeId":{"category":"Build","owner":"AWS","provider":"CodeBuild","version":"1"},
              "configuration":{"ProjectName":"web"},"inputArtifacts":[{"name":"Src"}]}]}
            """;
        var path = Path.Combine(_directory, name + ".json");
        await File.WriteAllTextAsync(path, $$$"""
            {"pipeline":{"name":"{{{name}}}","roleArn":"arn:aws:iam::000000000000:role/runner-{{{name}}}","artifactStore":{"type":"S3","location":"artifacts"},
             "stages":[{"name":"Source","actions":[{"name":"Fetch","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"},
               "configuration":{"ConnectionArn":"arn:aws:codeconnections:us-east-1:000000000000:connection/c","FullRepositoryId":"team/app","BranchName":"main"},
               "outputArtifacts":[{"name":"Src"}]}]},
              {{{stages}}}]}}
            """);
        (await Aws(server, "codepipeline", "create-pipeline", "--cli-input-json", "file://" + path)).Ok();
        var history = (await Aws(server, "codepipeline", "list-pipeline-executions", "--pipeline-name", name)).Ok();
        return Assert.Single(history["pipelineExecutionSummaries"]!.AsArray())!["pipelineExecutionId"]!.GetValue<string>();
    }

    private static async Task<string> StatusOfAsync(Server server, string name, string executionId) =>
        (await Aws(server, "codepipeline", "get-pipeline-execution", "--pipeline-name", name, "--pipeline-execution-id", executionId))
            .Ok()["pipelineExecution"]!["status"]!.GetValue<string>();

    private static async Task<JsonNode> StatusAsync(Server server, string name, string executionId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            // The status first: actions listed before it may predate the step that ended the execution (seen once).
            var reached = await StatusOfAsync(server, name, executionId) == status;
            var actions = (await Aws(server, "codepipeline", "list-action-executions", "--pipeline-name", name, "--filter", $"pipelineExecutionId={executionId}")).Ok();
            if (reached)
            {
                return actions;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the execution never became {status}: {actions.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    private static async Task<string> EndedAsync(Server server, string name, string executionId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var status = await StatusOfAsync(server, name, executionId);
            if (status is not ("InProgress" or "Stopping"))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the execution is still {status} after 120 s");
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Why an execution failed, shortest first (a CI log keeps only the tail of a long message): each action's status and
    /// error, each of its builds' status and failed phase, then the log of each build that did not succeed.
    /// </summary>
    private static async Task<string> DiagnoseAsync(Server server, string pipeline, JsonNode actions)
    {
        var text = new System.Text.StringBuilder();
        var buildIds = new List<string>();
        foreach (var detail in actions["actionExecutionDetails"]!.AsArray())
        {
            var result = detail!["output"]?["executionResult"];
            text.AppendLine($"action {detail["stageName"]}/{detail["actionName"]}: {detail["status"]} {result?["externalExecutionSummary"]} {result?["errorDetails"]?.ToJsonString()}");
            if (result?["externalExecutionId"]?.GetValue<string>() is { } id)
            {
                buildIds.Add(id);
            }
        }

        // The action's error (this aws CLI drops errorDetails from list-action-executions: it predates it there).
        var state = (await Aws(server, "codepipeline", "get-pipeline-state", "--name", pipeline)).Stdout;
        foreach (var stage in JsonNode.Parse(state)?["stageStates"]?.AsArray() ?? [])
        {
            foreach (var action in stage!["actionStates"]?.AsArray() ?? [])
            {
                if (action!["latestExecution"]?["errorDetails"] is { } error)
                {
                    text.AppendLine($"error of {stage["stageName"]}/{action["actionName"]}: {error.ToJsonString()}");
                }
            }
        }

        if (buildIds.Count == 0)
        {
            return text.ToString();
        }

        var builds = (await Aws(server, ["codebuild", "batch-get-builds", "--ids", .. buildIds])).Ok()["builds"]!.AsArray();
        foreach (var build in builds)
        {
            var failed = build!["phases"]!.AsArray().Where(p => p!["phaseStatus"] is { } s && s.GetValue<string>() != "SUCCEEDED");
            text.AppendLine($"build {build["id"]}: {build["buildStatus"]} {string.Join("; ", failed.Select(p => $"{p!["phaseType"]} {p["phaseStatus"]} {p["contexts"]?.ToJsonString()}"))}");
        }

        foreach (var build in builds.Where(b => b!["buildStatus"]!.GetValue<string>() != "SUCCEEDED"))
        {
            var events = (await Aws(server, "logs", "get-log-events", "--log-group-name", build!["logs"]!["groupName"]!.GetValue<string>(),
                "--log-stream-name", build["logs"]!["streamName"]!.GetValue<string>(), "--start-from-head")).Stdout;
            text.AppendLine($"log of {build["id"]}:").AppendLine(string.Join("", JsonNode.Parse(events)?["events"]?.AsArray().Select(e => e!["message"]!.GetValue<string>()) ?? [events]));
        }

        return text.ToString();
    }

    private static JsonNode? Action(JsonNode actions, string name) =>
        actions["actionExecutionDetails"]!.AsArray().FirstOrDefault(d => d!["actionName"]!.GetValue<string>() == name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed class Server(CairnServer server, string data, HeldBuildRunner runner) : IAsyncDisposable
    {
        private int _disposed;

        public string Data => data;

        public HeldBuildRunner Runner => runner;

        public string Endpoint => server.Endpoint.ToString().TrimEnd('/');

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>A source that succeeds at once with a buildspec and an app.txt, stored in the artifact store (the database's).</summary>
    private sealed class InstantSourceRunner(IArtifactStore artifacts) : IPipelineActionRunner
    {
        public bool CanRun(ActionTypeId type) => type.Category == ActionTypes.Source;

        public async Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken)
        {
            var tree = Directory.CreateTempSubdirectory("cairn-pg-source-").FullName;
            try
            {
                await File.WriteAllTextAsync(Path.Combine(tree, "app.txt"), "hello from the source\n", cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(tree, "buildspec.yml"), """
                    version: 0.2
                    phases:
                      build:
                        commands:
                          - mkdir -p out && printf 'built from %s\n' "$(cat app.txt)" > out/result.txt
                    artifacts:
                      base-directory: out
                      files:
                        - '**/*'
                    """, cancellationToken);
                var outputs = new List<ActionArtifact>();
                foreach (var name in run.OutputArtifactNames)
                {
                    outputs.Add(new ActionArtifact(name, await artifacts.PutDirectoryAsync(run.ArtifactStore, run.ArtifactKeyPrefix, tree, cancellationToken)));
                }

                return ActionOutcome.Success("fetched", outputs, new Dictionary<string, string>());
            }
            finally
            {
                Directory.Delete(tree, recursive: true);
            }
        }
    }

    /// <summary>A Build runner that records each action it is given and answers when the test says.</summary>
    private sealed class HeldBuildRunner : IPipelineActionRunner
    {
        private readonly ConcurrentQueue<string> _started = new();
        private readonly Channel<string> _arrived = Channel.CreateUnbounded<string>();
        private readonly TaskCompletionSource<ActionOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Started => [.. _started];

        public bool CanRun(ActionTypeId type) => type.Category == ActionTypes.Build;

        public async Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken)
        {
            _started.Enqueue(run.ActionExecutionId);
            _arrived.Writer.TryWrite(run.ActionExecutionId);
            return await _outcome.Task.WaitAsync(cancellationToken);
        }

        public async Task<string> StartedAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                return await _arrived.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("the Build action never reached this server's runner");
                throw;
            }
        }

        public void Finish(ActionOutcome outcome) => _outcome.TrySetResult(outcome);
    }
}
