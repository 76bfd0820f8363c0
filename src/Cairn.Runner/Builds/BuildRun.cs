using Cairn.Core.Builds;
using Cairn.Core.Buildspec;
using Cairn.Runner.Artifacts;
using Cairn.Runner.Events;
using Cairn.Runner.Phases;
using Cairn.Runner.Processes;
using Cairn.Runner.Reports;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Builds;

/// <summary>One build in progress: the phases in order, the shell they share, and what the result will say.</summary>
internal sealed partial class BuildRun : IAsyncDisposable
{
    private readonly BuildRequest _request;
    private readonly BuildEventSink _sink;
    private readonly BuildCancellation _cancellation;
    private readonly List<ExportedVariable> _exported = [];
    private readonly List<ArtifactResult> _artifacts = [];
    private readonly List<ReportSummary> _reports = [];
    private readonly ScratchDirectory _scripts = ScratchDirectory.Create("cairn-build-");
    private IShellHost? _shells;
    private BuildspecDocument? _document;
    private BuildEnvironment? _environment;
    private ICommandShell? _shell;
    private bool _failed;
    private bool _interrupted;

    public BuildRun(BuildRequest request, BuildEventSink sink, BuildCancellation cancellation)
    {
        _request = request;
        _sink = sink;
        _cancellation = cancellation;
        AppDomain.CurrentDomain.ProcessExit += KillShellOnExit;
    }

    private string SourceDirectory => Path.GetFullPath(_request.SourceDirectory);

    /// <summary>Where UPLOAD_ARTIFACTS finds the build's files: the source, or for a pod what its result block brought back.</summary>
    private string OutputDirectory => _podOutput ?? SourceDirectory;

    public async Task<BuildResult> ExecuteAsync()
    {
        var start = _sink.Now;
        if (_sink.CurrentPhase is null && _sink.Phases.Count == 0)
        {
            // A build started right here (cairn build, a test): nothing queued or provisioned it.
            _sink.Instant(BuildPhaseTypes.Submitted);
            _sink.Instant(BuildPhaseTypes.Queued);
            _sink.Instant(BuildPhaseTypes.Provisioning);
        }

        try
        {
            if (await DownloadSourceAsync(start))
            {
                var pod = _request.Placement as PodPlacement;
                var upload = pod is null ? await RunCommandPhasesAsync() : await RunInPodAsync(pod);
                if (upload && !_interrupted)
                {
                    UploadArtifacts();
                }
            }
        }
        catch (Exception error) when (error is not OperationCanceledException && _sink.CurrentPhase is not null)
        {
            // A bug or an environment problem, not the build's fault: CodeBuild calls that FAULT.
            Finish(BuildStatuses.Fault, "CLIENT_ERROR", $"{error.GetType().Name}: {error.Message}");
        }

        _sink.StartPhase(BuildPhaseTypes.Finalizing);
        await StopShellAsync();
        _sink.EndPhase(BuildStatuses.Succeeded, writeLines: false);
        _sink.Complete();
        var identity = _request.Identity;
        return new BuildResult(
            identity.BuildId, _request.BuildArn, identity.BuildNumber, identity.ProjectName, identity.Initiator,
            Status(), start, _sink.Now, _sink.Phases, _exported, _artifacts, _reports);
    }

    public async ValueTask DisposeAsync()
    {
        await StopShellAsync();
        _scripts.Dispose();
        DeletePodOutput();
        AppDomain.CurrentDomain.ProcessExit -= KillShellOnExit;
    }

    private string Status()
    {
        if (_cancellation.Reason is { } reason)
        {
            return reason;
        }

        var statuses = _sink.Phases.Select(p => p.PhaseStatus).ToList();
        return statuses.Contains(BuildStatuses.Fault) ? BuildStatuses.Fault
            : statuses.Contains(BuildStatuses.Failed) ? BuildStatuses.Failed
            : BuildStatuses.Succeeded;
    }

    /// <summary>Ends the running phase with CodeBuild's two closing lines (and Cairn's hint).</summary>
    private void Finish(string status, string statusCode = "", string message = "", string? hint = null) =>
        _sink.EndPhase(status, new PhaseContext(statusCode, message), hint);

    /// <summary>The context CodeBuild gives a phase cut short by StopBuild or the timeout.</summary>
    private (string Status, string Code, string Message) Interruption() =>
        _cancellation.Reason == BuildStatuses.TimedOut
            ? (BuildStatuses.TimedOut, "BUILD_TIMED_OUT", "Build has timed out.")
            : (BuildStatuses.Stopped, "BUILD_STOPPED", "Build was stopped.");

    private async Task StopShellAsync()
    {
        if (_shell is not null)
        {
            await _shell.DisposeAsync();
            _shell = null;
        }
    }

    /// <summary>If this process exits mid-build (a second Ctrl-C, a host shutdown), the build's commands go with it.</summary>
    private void KillShellOnExit(object? sender, EventArgs e)
    {
        if (_shell is ShellSession { ProcessGroupId: { } group })
        {
            ProcessGroups.Signal(group, Signals.Kill);
        }
    }
}
