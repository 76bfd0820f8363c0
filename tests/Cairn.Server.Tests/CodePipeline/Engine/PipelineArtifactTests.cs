using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Cairn.Application.Pipelines.Artifacts;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Artifacts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Server.Tests.CodePipeline.Engine;

/// <summary>
/// The artifact sweep and the engine's rollback check over the fixture's fake runners, with an artifact store that holds
/// exactly the archives the test says (the fake runners name archives without storing them). The aws CLI tests on both
/// backends are <c>Cairn.Compat.Tests/CodePipeline/PipelineArtifactCliTests</c>; these take the paths they cannot reach.
/// </summary>
public sealed class PipelineArtifactTests : EngineFixture
{
    private static readonly PipelineEngineOptions Options = new(ArtifactRetention: TimeSpan.FromDays(30));

    private readonly HeldArtifacts _artifacts = new();

    [Fact]
    public async Task The_sweep_keeps_the_target_of_a_kept_rollback_and_removes_an_expired_execution_and_an_orphan()
    {
        var engine = NewEngine(Options, artifacts: _artifacts);
        var pipeline = await PipelineAsync("keep", "SUPERSEDED", null, Stage("Deploy", Build("Ship")));
        var target = await RunAsync(pipeline, fail: false);
        var expired = await RunAsync(pipeline, fail: false);
        var failed = await RunAsync(pipeline, fail: true);
        var id = await engine.RollbackStageAsync(pipeline, "Deploy", target.ExecutionId, "me", CancellationToken.None);
        (await Held.NextAsync("Ship")).Succeed();
        await UntilStatusAsync(await GetAsync("keep", id), ExecutionStatuses.Succeeded);
        var orphan = new ArtifactLocation("artifacts", $"gone/{Guid.NewGuid()}/Src-1.tar");
        _artifacts.Held.TryAdd(orphan, 0);
        using var sweep = new PipelineArtifactSweep(_artifacts, Executions, Options, Clock, NullLogger<PipelineArtifactSweep>.Instance);

        Assert.Equal((1, 0), await sweep.SweepAsync(CancellationToken.None)); // nothing ended 30 days ago yet
        Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal((0, 1), await sweep.SweepAsync(CancellationToken.None));

        var holding = (await _artifacts.ListExecutionsAsync(CancellationToken.None)).Select(e => e.ExecutionId).ToHashSet();
        Assert.DoesNotContain(expired.ExecutionId, holding);
        Assert.Contains(target.ExecutionId, holding); // the rollback execution (Deploy's latest and latest success) re-ran with its inputs
        Assert.Contains(failed.ExecutionId, holding); // Source's latest (and latest success)
    }

    [Fact]
    public async Task An_automatic_rollback_whose_targets_input_went_fails_its_action_naming_the_retention()
    {
        NewEngine(Options, artifacts: _artifacts);
        var stage = Stage("Deploy", Build("Ship"));
        stage["onFailure"] = new JsonObject { ["result"] = "ROLLBACK" };
        var pipeline = await PipelineAsync("auto", "SUPERSEDED", null, stage);
        var good = await RunAsync(pipeline, fail: false);
        await _artifacts.DeletePrefixAsync("artifacts", $"auto/{good.ExecutionId}/", CancellationToken.None);

        await RunAsync(pipeline, fail: true);
        var rollback = (await Executions.ListAsync(Scope, "auto", 0, 1, CancellationToken.None))[0];
        var ended = await UntilStatusAsync(rollback, ExecutionStatuses.Failed);

        Assert.Equal(good.ExecutionId, ended.RollbackTarget);
        var ship = Action(ended, "Ship");
        Assert.Equal("ConfigurationError", ship.ErrorCode);
        Assert.Contains($"Execution '{good.ExecutionId}' no longer has artifact 'Src'", ship.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("--pipeline-artifact-retention-days 30", ship.ErrorMessage, StringComparison.Ordinal);
        Assert.False(Held.HasStarted("Ship"), "the rollback's action ran without its input");
    }

    /// <summary>Runs an execution to its end (Ship succeeds or fails) and keeps the archives its actions named.</summary>
    private async Task<PipelineExecution> RunAsync(Cairn.Core.Pipelines.PipelineRecord pipeline, bool fail)
    {
        var execution = await StartAsync(pipeline);
        var ship = await Held.NextAsync("Ship");
        if (fail)
        {
            ship.Fail();
        }
        else
        {
            ship.Succeed();
        }

        var ended = await UntilStatusAsync(execution, fail ? ExecutionStatuses.Failed : ExecutionStatuses.Succeeded);
        foreach (var output in ended.Actions.SelectMany(a => a.Outputs))
        {
            _artifacts.Held.TryAdd(new ArtifactLocation(output.Store, output.Key), 0);
        }

        return ended;
    }

    /// <summary>An artifact store holding the locations in <see cref="Held"/>: nothing is packed, only existence matters here.</summary>
    private sealed class HeldArtifacts : IArtifactStore
    {
        public ConcurrentDictionary<ArtifactLocation, byte> Held { get; } = new();

        public Task<ArtifactLocation> PutDirectoryAsync(string store, string keyPrefix, string directory, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task ExtractAsync(ArtifactLocation location, string directory, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> ExistsAsync(ArtifactLocation location, CancellationToken cancellationToken) => Task.FromResult(Held.ContainsKey(location));

        public Task DeletePrefixAsync(string store, string keyPrefix, CancellationToken cancellationToken)
        {
            foreach (var location in Held.Keys.Where(l => l.Store == store && l.Key.StartsWith(keyPrefix, StringComparison.Ordinal)))
            {
                Held.TryRemove(location, out _);
            }

            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<ArtifactExecution>> ListExecutionsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ArtifactExecution>>(Held.Keys
                .Select(l => (l.Store, Segments: l.Key.Split('/')))
                .Where(k => k.Segments.Length >= 3)
                .Select(k => new ArtifactExecution(k.Store, k.Segments[0], k.Segments[1]))
                .Distinct()
                .ToList());
    }
}
