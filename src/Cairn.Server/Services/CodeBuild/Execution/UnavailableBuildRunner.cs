using Cairn.Core.Builds;
using Cairn.Runner.Phases;

namespace Cairn.Server.Services.CodeBuild.Execution;

/// <summary>Stands in until the runner's BuildExecutor is part of the server: every build fails in DOWNLOAD_SOURCE saying so.</summary>
internal sealed class UnavailableBuildRunner(TimeProvider time) : IBuildRunner
{
    public Task<BuildRunOutcome> RunAsync(BuildRunRequest request, Stream log, BuildCancellation cancellation, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Task.FromResult(new BuildRunOutcome(BuildStatuses.Fault,
        [
            new BuildPhaseRecord(BuildPhaseTypes.DownloadSource, now, BuildStatuses.Fault, now, [new PhaseContext("CLIENT_ERROR", "this Cairn server has no build executor")]),
            new BuildPhaseRecord(BuildPhaseTypes.Finalizing, now, BuildStatuses.Succeeded, now, [PhaseContext.None]),
        ], []));
    }
}
