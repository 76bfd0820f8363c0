using Cairn.Core.Builds;
using Cairn.Runner.Builds;
using Cairn.Runner.Events;
using Cairn.Runner.Phases;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// One stored build while it runs, as <see cref="BuildLifecycle"/> hands it to the step that prepares and executes it
/// (the server's <see cref="BuildOrchestrator"/>, `cairn build`'s local preparation): the sink everything it says goes
/// through, its cancellation, and how it ends. A preparation ends the build with <see cref="Fail"/> or, after the
/// executor, <see cref="Finish"/>; the lifecycle stores that end once the build's leftovers are cleaned up.
/// </summary>
public sealed class StoredBuildRun
{
    private readonly TimeProvider _time;

    internal StoredBuildRun(BuildRecord build, BuildEventSink sink, BuildCancellation cancellation, TimeProvider time)
    {
        Build = build;
        Sink = sink;
        Cancellation = cancellation;
        _time = time;
    }

    /// <summary>The build as stored when its run started, or as a preparation last stored it.</summary>
    public BuildRecord Build { get; set; }

    /// <summary>Where everything the build says goes: masked, to the log, the build's record and any other listener.</summary>
    public BuildEventSink Sink { get; }

    public BuildCancellation Cancellation { get; }

    /// <summary>The identity the executor gives the build (CODEBUILD_BUILD_ID, _NUMBER, _INITIATOR), from the stored record.</summary>
    public BuildIdentity Identity => new(Build.ProjectName, Build.Id, Build.BuildNumber, Build.Initiator);

    /// <summary>The executor's result, once <see cref="Finish"/> was called.</summary>
    public BuildResult? Result { get; private set; }

    /// <summary>The last change to the build, applied once everything it ran is cleaned up.</summary>
    internal Func<BuildRecord, BuildRecord?>? Completion { get; private set; }

    /// <summary>The phases before PROVISIONING as stored, then the sink's from PROVISIONING on, and the executor's status: the build's completion.</summary>
    public void Finish(BuildResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
        Completion = build =>
        {
            var before = build.Phases.TakeWhile(p => p.PhaseType != BuildPhaseTypes.Provisioning);
            var completed = result.Phases.LastOrDefault(p => p.PhaseType == BuildPhaseTypes.Completed)?.StartTime ?? result.EndTime;
            return build with
            {
                Phases = [.. before, .. result.Phases.Where(p => p.PhaseType != BuildPhaseTypes.Completed), new BuildPhaseRecord(BuildPhaseTypes.Completed, completed)],
                CurrentPhase = BuildPhaseTypes.Completed,
                Status = result.Status,
                EndTime = completed,
                ExportedVariables = result.ExportedVariables,
                StopRequested = false,
            };
        };
    }

    /// <summary>
    /// Ends the current phase as failed (CodeBuild's two closing lines, and Cairn's hint), runs FINALIZING and completes the
    /// build with <paramref name="buildStatus"/>.
    /// </summary>
    public void Fail(string buildStatus, string statusCode, string message, string? hint)
    {
        var phaseStatus = buildStatus == BuildStatuses.Fault ? BuildStatuses.Fault : BuildStatuses.Failed;
        End(buildStatus, phaseStatus, statusCode, message, hint);
    }

    /// <summary>The build was cut short outside the executor: STOPPED, or TIMED_OUT when its timeout did it.</summary>
    internal void Interrupted()
    {
        if (Cancellation.Reason == BuildStatuses.TimedOut)
        {
            End(BuildStatuses.TimedOut, BuildStatuses.TimedOut, "BUILD_TIMED_OUT", "Build has timed out.", null);
        }
        else
        {
            End(BuildStatuses.Stopped, BuildStatuses.Stopped, "BUILD_STOPPED", "Build was stopped.", null);
        }
    }

    private void End(string buildStatus, string phaseStatus, string statusCode, string message, string? hint)
    {
        if (Sink.EndPhase(phaseStatus, new PhaseContext(statusCode, message), hint) is null)
        {
            return;
        }

        Sink.StartPhase(BuildPhaseTypes.Finalizing);
        Completion = build => build.IsComplete ? null : build.Complete(buildStatus, _time.GetUtcNow(), BuildStatuses.Succeeded);
    }
}
