using Cairn.Core.Buildspec;
using Cairn.Runner.Artifacts;
using Cairn.Runner.Masking;
using Cairn.Runner.Phases;
using Cairn.Runner.Processes;
using Cairn.Runner.Reports;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Builds;

/// <summary>One build in progress: the phases in order, the shell they share, and what the result will say.</summary>
internal sealed partial class BuildRun : IAsyncDisposable
{
    private readonly BuildRequest _request;
    private readonly ContainerLog _log;
    private readonly SecretMasker _masker;
    private readonly BuildCancellation _cancellation;
    private readonly PhaseRecorder _phases;
    private readonly List<ExportedVariable> _exported = [];
    private readonly List<ArtifactResult> _artifacts = [];
    private readonly List<ReportSummary> _reports = [];
    private readonly ScratchDirectory _scripts = ScratchDirectory.Create("cairn-build-");
    private BuildspecDocument? _document;
    private BuildEnvironment? _environment;
    private ICommandShell? _shell;
    private bool _failed;
    private bool _interrupted;

    public BuildRun(BuildRequest request, ContainerLog log, SecretMasker masker, BuildCancellation cancellation)
    {
        _request = request;
        _log = log;
        _masker = masker;
        _cancellation = cancellation;
        _phases = new PhaseRecorder(request.Time);
        AppDomain.CurrentDomain.ProcessExit += KillShellOnExit;
    }

    private string SourceDirectory => Path.GetFullPath(_request.SourceDirectory);

    public async Task<BuildResult> ExecuteAsync()
    {
        var start = _phases.Now;
        _phases.Instant(BuildPhaseType.Submitted);
        _phases.Instant(BuildPhaseType.Queued);
        _phases.Instant(BuildPhaseType.Provisioning);
        try
        {
            if (await DownloadSourceAsync(start))
            {
                var upload = await RunCommandPhasesAsync();
                if (upload && !_interrupted)
                {
                    UploadArtifacts();
                }
            }
        }
        catch (Exception error) when (error is not OperationCanceledException && _phases.Current is not null)
        {
            // A bug or an environment problem, not the build's fault: CodeBuild calls that FAULT.
            Finish(PhaseStatus.Fault, "CLIENT_ERROR", $"{error.GetType().Name}: {error.Message}");
        }

        _phases.Begin(BuildPhaseType.Finalizing);
        await StopShellAsync();
        _phases.End(PhaseStatus.Succeeded, PhaseContext.None);
        _phases.Complete();
        var identity = _request.Identity;
        return new BuildResult(
            identity.BuildId, _request.BuildArn, identity.BuildNumber, identity.ProjectName, identity.Initiator,
            Status(), start, _phases.Now, _phases.Phases, _exported, _artifacts, _reports);
    }

    public async ValueTask DisposeAsync()
    {
        await StopShellAsync();
        _scripts.Dispose();
        AppDomain.CurrentDomain.ProcessExit -= KillShellOnExit;
    }

    private PhaseStatus Status()
    {
        if (_cancellation.Reason is { } reason)
        {
            return reason;
        }

        var statuses = _phases.Phases.Select(p => p.Status).ToList();
        return statuses.Contains(PhaseStatus.Fault) ? PhaseStatus.Fault
            : statuses.Contains(PhaseStatus.Failed) ? PhaseStatus.Failed
            : PhaseStatus.Succeeded;
    }

    /// <summary>Writes CodeBuild's two closing lines for a phase (and Cairn's hint) and records it.</summary>
    private void Finish(PhaseStatus status, string statusCode = "", string message = "", string? hint = null)
    {
        var phase = _phases.Current ?? throw new InvalidOperationException("No phase is running.");
        _log.Write($"Phase complete: {phase.ToCodeBuildName()} State: {status.ToCodeBuildName()}");
        _log.Write($"Phase context status code: {statusCode} Message: {message}");
        if (hint is not null)
        {
            _log.Write($"Hint: {hint}");
        }

        _phases.End(status, new PhaseContext(statusCode, message), hint);
    }

    /// <summary>The context CodeBuild gives a phase cut short by StopBuild or the timeout.</summary>
    private (PhaseStatus Status, string Code, string Message) Interruption() =>
        _cancellation.Reason == PhaseStatus.TimedOut
            ? (PhaseStatus.TimedOut, "BUILD_TIMED_OUT", "Build has timed out.")
            : (PhaseStatus.Stopped, "BUILD_STOPPED", "Build was stopped.");

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
