using System.Collections.Concurrent;
using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Artifacts;
using Cairn.Application.Pipelines.Executions;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Core.Pipelines;
using Cairn.Storage.Artifacts;
using Cairn.Storage.Pipelines;
using Cairn.Storage.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Compat.Tests.CodePipeline;

/// <summary>
/// What becomes of pipeline artifacts, on SQLite with the file store and on PostgreSQL with its own, through the aws CLI
/// (and botocore's signer for RollbackStage, newer than the CLI and the system's boto3): DeletePipeline removes the pipeline's artifacts (and the sweep what
/// an action still running wrote after it), and with --pipeline-artifact-retention-days the sweep removes an ended
/// execution's but keeps a running one's, the stages' latest and the rollback target's; a rollback to an execution whose
/// artifacts went is refused with the setting named. The actions are a test runner that really stores and extracts archives.
/// </summary>
public sealed class PipelineArtifactCliTests
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codepipeline.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public Task DeletePipeline_removes_the_pipelines_artifacts_and_the_sweep_what_a_cancelled_action_wrote_after(string backend) =>
        WithServerAsync(backend, async (cairn, runner) =>
        {
            var doomed = await CreateAsync(cairn, "doomed");
            var kept = await CreateAsync(cairn, "kept");
            await UntilStatusAsync(cairn, "doomed", doomed, "Succeeded");
            await UntilStatusAsync(cairn, "kept", kept, "Succeeded");
            runner.Modes.Enqueue("hold");
            var running = await StartAsync(cairn, "doomed");
            await runner.Holding.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var store = cairn.Server.Services.GetRequiredService<IArtifactStore>();
            var output = (await store.ListExecutionsAsync(CancellationToken.None)).Single(e => e.ExecutionId == doomed);

            Assert.True(await store.ExistsAsync(runner.Outputs[doomed], CancellationToken.None));
            (await cairn.Aws("codepipeline", "delete-pipeline", "--name", "doomed")).Ok();

            Assert.False(await store.ExistsAsync(runner.Outputs[doomed], CancellationToken.None));
            Assert.DoesNotContain(await store.ListExecutionsAsync(CancellationToken.None), e => e.PipelineName == "doomed" && e.ExecutionId == doomed);
            Assert.True(await store.ExistsAsync(runner.Outputs[kept], CancellationToken.None), "another pipeline's artifacts went too");
            Assert.Equal("artifacts", output.Store);

            // The held action was cancelled by the deletion and stores an archive as it ends, after the deletion returned:
            // nobody's, so the sweep removes it.
            runner.WriteLate.TrySetResult();
            var late = await runner.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith($"doomed/{running}/", late.Key, StringComparison.Ordinal);
            Assert.True(await store.ExistsAsync(late, CancellationToken.None));
            var swept = await cairn.Server.Services.GetRequiredService<PipelineArtifactSweep>().SweepAsync(CancellationToken.None);

            Assert.Equal((1, 0), swept);
            Assert.False(await store.ExistsAsync(late, CancellationToken.None));
            Assert.True(await store.ExistsAsync(runner.Outputs[kept], CancellationToken.None));
        });

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public Task The_retention_sweep_removes_old_ended_executions_artifacts_but_keeps_a_running_ones_and_the_rollback_targets(string backend) =>
        WithServerAsync(backend, async (cairn, runner) =>
        {
            var first = await CreateAsync(cairn, "app");
            await UntilStatusAsync(cairn, "app", first, "Succeeded");
            var second = await StartAsync(cairn, "app");
            await UntilStatusAsync(cairn, "app", second, "Succeeded");
            runner.Modes.Enqueue("fail");
            var third = await StartAsync(cairn, "app");
            await UntilStatusAsync(cairn, "app", third, "Failed");
            runner.Modes.Enqueue("hold");
            var fourth = await StartAsync(cairn, "app");
            await runner.Holding.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var store = cairn.Server.Services.GetRequiredService<IArtifactStore>();

            // A month and a day later: every ended execution ended before the cutoff.
            using var sweep = new PipelineArtifactSweep(store, cairn.Server.Services.GetRequiredService<IPipelineExecutionStore>(),
                cairn.Server.Services.GetRequiredService<PipelineEngineOptions>(), new AheadClock(Retention + TimeSpan.FromDays(1)), NullLogger<PipelineArtifactSweep>.Instance);
            var swept = await sweep.SweepAsync(CancellationToken.None);
            var holding = (await store.ListExecutionsAsync(CancellationToken.None)).Select(e => e.ExecutionId).ToHashSet();

            Assert.Equal((0, 2), swept);
            Assert.DoesNotContain(first, holding);
            Assert.DoesNotContain(third, holding);
            Assert.Contains(second, holding); // the Build stage's latest success: what a rollback of it goes back to
            Assert.Contains(fourth, holding); // running

            // The running execution fails, and its stage's retry finds its inputs: it is the stage's latest.
            runner.Release("fail");
            await UntilStatusAsync(cairn, "app", fourth, "Failed");
            Assert.Equal((0, 0), await sweep.SweepAsync(CancellationToken.None));
            (await cairn.Aws("codepipeline", "retry-stage-execution", "--pipeline-name", "app", "--stage-name", "Build",
                "--pipeline-execution-id", fourth, "--retry-mode", "FAILED_ACTIONS")).Ok();
            await UntilStatusAsync(cairn, "app", fourth, "Succeeded");

            var refused = await RollbackAsync(cairn, first);
            Assert.StartsWith("UnableToRollbackStageException: ", refused, StringComparison.Ordinal);
            Assert.Contains($"Execution '{first}' no longer has artifact 'Src'", refused, StringComparison.Ordinal);
            Assert.Contains("--pipeline-artifact-retention-days 30", refused, StringComparison.Ordinal);

            var rollback = await RollbackAsync(cairn, second);
            await UntilStatusAsync(cairn, "app", rollback, "Succeeded");
            Assert.StartsWith($"app/{second}/", runner.BuildInputs[rollback].Key, StringComparison.Ordinal);
        });

    private static async Task WithServerAsync(string backend, Func<CairnFixture, ArtifactRunner, Task> test)
    {
        Assert.True(backend != "postgres" || PostgresCluster.MissingReason is null, PostgresCluster.MissingReason);
        await using var database = backend == "postgres" ? await PostgresCluster.Shared.CreateDatabaseAsync() : null;
        var runner = new ArtifactRunner();
        var cairn = new CairnFixture
        {
            Database = database?.ConnectionString,
            Options = options => options with { PipelineArtifactRetention = Retention },
            Services = services => services.AddSingleton<IPipelineActionRunner>(provider => runner.With(provider.GetRequiredService<IArtifactStore>())),
        };
        try
        {
            await cairn.InitializeAsync();
            await test(cairn, runner);
        }
        finally
        {
            runner.Release("fail");
            runner.WriteLate.TrySetResult();
            await cairn.DisposeAsync();
        }
    }

    /// <summary>Creates a Source (Fetch: Src) then Build (Build: Src to Out) pipeline; the id of the execution its creation started.</summary>
    private static async Task<string> CreateAsync(CairnFixture cairn, string name)
    {
        if ((await cairn.Aws("iam", "get-role", "--role-name", "pipeline-artifacts")).ExitCode != 0)
        {
            (await cairn.Aws("iam", "create-role", "--role-name", "pipeline-artifacts", "--assume-role-policy-document", Trust)).Ok();
        }

        var path = Path.Combine(cairn.DataDirectory, name + ".json");
        await File.WriteAllTextAsync(path, $$$"""
            {"pipeline":{"name":"{{{name}}}","roleArn":"arn:aws:iam::000000000000:role/pipeline-artifacts","artifactStore":{"type":"S3","location":"artifacts"},
             "stages":[{"name":"Source","actions":[{"name":"Fetch","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"},
               "configuration":{"ConnectionArn":"arn:aws:codeconnections:us-east-1:000000000000:connection/c","FullRepositoryId":"team/app","BranchName":"main"},
               "outputArtifacts":[{"name":"Src"}]}]},
              {"name":"Build","actions":[{"name":"Build","actionTypeId":{"category":"Build","owner":"AWS","provider":"CodeBuild","version":"1"},
               "configuration":{"ProjectName":"web"},"inputArtifacts":[{"name":"Src"}],"outputArtifacts":[{"name":"Out"}]}]}]}}
            """);
        (await cairn.Aws("codepipeline", "create-pipeline", "--cli-input-json", "file://" + path)).Ok();
        var history = (await cairn.Aws("codepipeline", "list-pipeline-executions", "--pipeline-name", name)).Ok();
        return Assert.Single(history["pipelineExecutionSummaries"]!.AsArray())!["pipelineExecutionId"]!.GetValue<string>();
    }

    private static async Task<string> StartAsync(CairnFixture cairn, string name) =>
        (await cairn.Aws("codepipeline", "start-pipeline-execution", "--name", name)).Ok()["pipelineExecutionId"]!.GetValue<string>();

    /// <summary>
    /// RollbackStage of app's Build stage to <paramref name="target"/>: the new execution's id, or the error as "Code: message".
    /// The system's boto3 predates RollbackStage, so its botocore signs the JSON 1.1 request (SigV4) and urllib sends it.
    /// </summary>
    private static async Task<string> RollbackAsync(CairnFixture cairn, string target)
    {
        var result = await cairn.Boto3($$"""
            import urllib.request, urllib.error
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            body = json.dumps({"pipelineName": "app", "stageName": "Build", "targetPipelineExecutionId": "{{target}}"})
            request = AWSRequest(method="POST", url=endpoint + "/", data=body,
                                 headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "CodePipeline_20150709.RollbackStage"})
            SigV4Auth(boto3.Session().get_credentials(), "codepipeline", "us-east-1").add_auth(request)
            try:
                with urllib.request.urlopen(urllib.request.Request(request.url, data=body.encode(), headers=dict(request.headers), method="POST")) as response:
                    print(json.load(response)["pipelineExecutionId"])
            except urllib.error.HTTPError as error:
                failure = json.load(error)
                print(failure["__type"].split("#")[-1] + ": " + failure.get("message", ""))
            """);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout.Trim();
    }

    private static Task UntilStatusAsync(CairnFixture cairn, string name, string executionId, string status) =>
        PipelineExecutionPolling.UntilStatusAsync(cairn.Aws, name, executionId, status);

    /// <summary>The real clock, moved ahead: the sweep's "now" a month later, without waiting a month.</summary>
    private sealed class AheadClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }

    /// <summary>
    /// The Source action stores a one-file archive; the Build action extracts its input (failing as a missing archive
    /// would) and then, by the next of <see cref="Modes"/> (pass when none), stores its output, fails, or holds until
    /// released, storing one more archive when it is cancelled instead.
    /// </summary>
    private sealed class ArtifactRunner : IPipelineActionRunner
    {
        private IArtifactStore? _store;
        private TaskCompletionSource<string> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Modes { get; } = new();

        /// <summary>Each execution's first stored output (the Source's).</summary>
        public ConcurrentDictionary<string, ArtifactLocation> Outputs { get; } = new();

        /// <summary>Each execution's last Build input.</summary>
        public ConcurrentDictionary<string, ArtifactLocation> BuildInputs { get; } = new();

        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Lets a cancelled held action store its late archive.</summary>
        public TaskCompletionSource WriteLate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<ArtifactLocation> Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ArtifactRunner With(IArtifactStore store)
        {
            _store = store;
            return this;
        }

        public void Release(string mode) => _release.TrySetResult(mode);

        public bool CanRun(ActionTypeId type) => type.Category == ActionTypes.Source || type.Provider == "CodeBuild";

        public async Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken)
        {
            var work = Directory.CreateTempSubdirectory("cairn-artifact-runner-").FullName;
            try
            {
                foreach (var input in run.Inputs)
                {
                    BuildInputs[run.ExecutionId] = input.Location;
                    await _store!.ExtractAsync(input.Location, Path.Combine(work, "in"), cancellationToken);
                }

                var mode = run.Type.Category == ActionTypes.Source ? "pass" : Modes.TryDequeue(out var next) ? next : "pass";
                if (mode == "hold")
                {
                    Holding.TrySetResult();
                    try
                    {
                        mode = await _release.Task.WaitAsync(cancellationToken);
                        _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                    catch (OperationCanceledException)
                    {
                        await WriteLate.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
                        Cancelled.TrySetResult(await PutAsync(run, work, "Late"));
                        throw;
                    }
                }

                if (mode == "fail")
                {
                    return ActionOutcome.Failure("JobFailed", "the test build failed");
                }

                var outputs = new List<ActionArtifact>();
                foreach (var name in run.OutputArtifactNames)
                {
                    var location = await PutAsync(run, work, name);
                    Outputs.TryAdd(run.ExecutionId, location);
                    outputs.Add(new ActionArtifact(name, location));
                }

                return ActionOutcome.Success("stored", outputs, new Dictionary<string, string>());
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        private async Task<ArtifactLocation> PutAsync(ActionRun run, string work, string name)
        {
            var tree = Path.Combine(work, name);
            Directory.CreateDirectory(tree);
            await File.WriteAllTextAsync(Path.Combine(tree, "made-by.txt"), $"{run.ExecutionId} {run.ActionName}");
            return await _store!.PutDirectoryAsync(run.ArtifactStore, run.ArtifactKeyPrefix, tree, CancellationToken.None);
        }
    }
}
