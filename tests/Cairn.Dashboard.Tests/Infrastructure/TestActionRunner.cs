using System.Collections.Concurrent;
using Cairn.Application.Pipelines.Actions;
using Cairn.Core.Pipelines;
using Cairn.Storage.Artifacts;

namespace Cairn.Dashboard.Tests.Infrastructure;

/// <summary>
/// Stands in for the git source and the CodeBuild action in the dashboard's servers, so pipelines run without git or
/// builds: a source succeeds with commit 0123abc (branch "flaky": fails the first time in each execution), a CodeBuild
/// action succeeds at once with a build id of its project as its external execution.
/// </summary>
public sealed class TestActionRunner : IPipelineActionRunner
{
    private readonly ConcurrentDictionary<string, bool> _failedOnce = new(StringComparer.Ordinal);

    public bool CanRun(ActionTypeId type) =>
        type.Category == ActionTypes.Source || (type.Category == ActionTypes.Build && type.Provider == "CodeBuild");

    public Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken)
    {
        var outputs = run.OutputArtifactNames.Select(n => new ActionArtifact(n, new ArtifactLocation(run.ArtifactStore, $"{run.ArtifactKeyPrefix}/{n}.tar"))).ToList();
        if (run.Type.Category == ActionTypes.Build)
        {
            var buildId = $"{run.Configuration["ProjectName"]}:{Guid.NewGuid():D}";
            return Task.FromResult(ActionOutcome.Success($"Build {buildId} succeeded", outputs, new Dictionary<string, string>(), buildId));
        }

        if (run.Configuration.GetValueOrDefault("BranchName") == "flaky" && _failedOnce.TryAdd(run.ExecutionId, true))
        {
            return Task.FromResult(ActionOutcome.Failure("JobFailed", "The flaky source failed, as it does once per execution."));
        }

        return Task.FromResult(ActionOutcome.Success(
            "fetched", outputs, new Dictionary<string, string> { ["CommitId"] = "0123abc" }, revision: new ArtifactRevision("0123abc", "the test commit", null, null)));
    }
}
