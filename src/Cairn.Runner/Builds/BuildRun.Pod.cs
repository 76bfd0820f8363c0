using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Cairn.Core.Builds;
using Cairn.Core.Buildspec;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Builds;

internal sealed partial class BuildRun
{
    /// <summary>A ConfigMap holds at most 1 MiB; the script and the object's metadata need some of it.</summary>
    public const int MaxPodSourceBytes = 900 * 1024;

    /// <summary>
    /// INSTALL to POST_BUILD in a pod (<see cref="PodPlacement"/>): one script, its marker lines turned into the same phase
    /// events and lines the host shell gives (every other line goes through the sink, so it is masked alike). Variables
    /// whose values the masker knows go in the pod's Secret, the rest in its spec. Returns whether UPLOAD_ARTIFACTS comes next.
    /// </summary>
    private async Task<bool> RunInPodAsync(PodPlacement pod)
    {
        var document = _document!;
        var script = PodScript.Create(document);
        if (document.Phases.Any(p => p.OnFailure?.Action is OnFailureAction.Retry))
        {
            _sink.Say("[WARN] on-failure RETRY runs as ABORT in a Kubernetes pod");
        }

        var archive = PackSource();
        if (archive.Length > MaxPodSourceBytes)
        {
            _sink.StartPhase(BuildPhaseTypes.Install, "Entering phase INSTALL");
            Finish(BuildStatuses.Failed, "CLIENT_ERROR",
                $"the source is {archive.Length / 1024} KiB compressed; a Kubernetes build carries it in a ConfigMap, which holds at most {MaxPodSourceBytes / 1024} KiB",
                "build large sources with --executor docker or host, or fetch the rest in the buildspec (git clone, aws s3 cp).");
            return false;
        }

        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        var secret = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in _environment!.Variables)
        {
            if (name != "CODEBUILD_SRC_DIR")
            {
                (_sink.Masker.MaskText(value) == value ? plain : secret)[name] = value;
            }
        }

        var identity = _request.Identity;
        var build = new PodBuild(identity.BuildId, identity.ProjectName, _request.Image, document.Env.Shell ?? "sh", script.Text, archive, plain, secret, _request.Timeout);
        var reader = new PodLogReader(this, script);
        int? exitCode;
        try
        {
            exitCode = await pod.RunAsync(build, reader.OnLine, _cancellation.Token);
        }
        catch (OperationCanceledException) when (_cancellation.Token.IsCancellationRequested)
        {
            _interrupted = true;
            if (_sink.CurrentPhase is not null)
            {
                var (status, code, message) = Interruption();
                Finish(status, code, message);
            }

            return false;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The cluster refused or failed (RBAC, an image that cannot start): not the build's fault, CodeBuild's FAULT.
            _sink.FlushOutput();
            if (_sink.CurrentPhase is null)
            {
                _sink.StartPhase(BuildPhaseTypes.Install, "Entering phase INSTALL");
            }

            Finish(BuildStatuses.Fault, "CLIENT_ERROR", error.Message);
            return false;
        }

        _sink.FlushOutput();
        if (reader.OpenPhase)
        {
            Finish(BuildStatuses.Failed, "CLIENT_ERROR", $"the build's pod ended (exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}) in the middle of {_sink.CurrentPhase}");
            return false;
        }

        if (reader.PhasesEnded == 0)
        {
            _sink.StartPhase(BuildPhaseTypes.Install, "Entering phase INSTALL");
            Finish(BuildStatuses.Failed, "CLIENT_ERROR", $"the build's pod ended (exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}) before its first phase",
                "see the lines above; the image needs sh, tar and gzip.");
            return false;
        }

        if (reader.Failed)
        {
            _failed = true;
        }

        if (document.Env.ExportedVariables.Count > 0)
        {
            _sink.Say("[WARN] env.exported-variables are not read back from a Kubernetes pod");
        }

        return !reader.Skipped;
    }

    /// <summary>UPLOAD_ARTIFACTS of a pod build: the files stay in the pod, so nothing is packaged (said, when any are declared).</summary>
    private void UploadNothingFromPod()
    {
        _sink.StartPhase(BuildPhaseTypes.UploadArtifacts, "Entering phase UPLOAD_ARTIFACTS");
        if (_document!.Artifacts is not null && _request.ArtifactsDirectory is not null)
        {
            _sink.Say("[WARN] artifacts are not collected from a Kubernetes pod: upload them in post_build (aws s3 cp) instead");
        }

        Finish(BuildStatuses.Succeeded);
    }

    private byte[] PackSource()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            TarFile.CreateFromDirectory(SourceDirectory, gzip, includeBaseDirectory: false);
        }

        return buffer.ToArray();
    }

    /// <summary>Turns the pod's log into the sink's phases and lines.</summary>
    private sealed class PodLogReader(BuildRun run, PodScript script)
    {
        private readonly string _prefix = script.Marker + " ";
        private (string Command, int ExitCode)? _failure;
        private int _started;

        public bool OpenPhase { get; private set; }

        public int PhasesEnded { get; private set; }

        public bool Failed { get; private set; }

        /// <summary>True when INSTALL or PRE_BUILD failed and the later phases did not run.</summary>
        public bool Skipped => PhasesEnded < 4 || _started < 4;

        public void OnLine(string line)
        {
            var sink = run._sink;
            if (!line.StartsWith(_prefix, StringComparison.Ordinal))
            {
                sink.Output.Write(Encoding.UTF8.GetBytes(line + "\n"));
                return;
            }

            var words = line[_prefix.Length..].Split(' ', 3);
            switch (words[0])
            {
                case "start" when words.Length >= 2:
                    sink.FlushOutput();
                    sink.StartPhase(words[1], $"Entering phase {words[1]}");
                    OpenPhase = true;
                    _started++;
                    _failure = null;
                    break;
                case "run" when words.Length >= 2 && Index(words[1]) is { } index:
                    sink.FlushOutput();
                    sink.Say($"Running command {script.Commands[index]}");
                    break;
                case "fail" when words.Length >= 3 && Index(words[1]) is { } index && int.TryParse(words[2], CultureInfo.InvariantCulture, out var code):
                    sink.FlushOutput();
                    sink.Say($"Command did not exit successfully {script.Commands[index]} exit status {code}");
                    _failure ??= (script.Commands[index], code);
                    break;
                case "end" when words.Length >= 3:
                    sink.FlushOutput();
                    if (words[2] == "0")
                    {
                        run.Finish(BuildStatuses.Succeeded);
                    }
                    else
                    {
                        Failed = true;
                        var (command, exit) = _failure ?? ("", int.TryParse(words[2], CultureInfo.InvariantCulture, out var status) ? status : 1);
                        run.Finish(BuildStatuses.Failed, PhaseRunner.CommandExecutionError, $"Error while executing command: {command}. Reason: exit status {exit}");
                    }

                    OpenPhase = false;
                    PhasesEnded++;
                    break;
                default:
                    break;
            }
        }

        private int? Index(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < script.Commands.Count ? index : null;
    }
}
