using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Cairn.Core.Builds;
using Cairn.Core.Buildspec;
using Cairn.Runner.Cache;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Builds;

internal sealed partial class BuildRun
{
    /// <summary>A ConfigMap holds at most 1 MiB; the script and the object's metadata need some of it.</summary>
    public const int MaxPodSourceBytes = 900 * 1024;

    /// <summary>
    /// The cap on the files a pod sends back (gzipped tar). Base64 and each line's marker make the block about 1.8 times
    /// that on the pod's log: about 5.5 MiB, so it fits in one of the kubelet's container log files (containerLogMaxSize,
    /// 10 MiB by default), where a rotation can cut a followed log (kubernetes/kubernetes#115701, #126564). A cut is detected.
    /// </summary>
    public const int MaxPodResultBytes = 3 * 1024 * 1024;

    private string? _podOutput;
    private (string Message, string Hint)? _podFailure;

    /// <summary>
    /// INSTALL to POST_BUILD in a pod (<see cref="PodPlacement"/>): one script, its marker lines turned into the same phase
    /// events and lines the host shell gives (every other line goes through the sink, so it is masked alike). Variables
    /// whose values the masker knows go in the pod's Secret, the rest in its spec. Returns whether UPLOAD_ARTIFACTS comes next.
    /// </summary>
    private async Task<bool> RunInPodAsync(PodPlacement pod)
    {
        var document = _document!;
        var exportNames = ExportableNames(document, out var exportWarnings);
        var (roots, cacheRoots) = PodRoots(document);
        var collection = new PodCollection(exportNames, roots, cacheRoots, MaxPodResultBytes);
        var script = PodScript.Create(document, collection);
        var result = new PodResult(exportNames, collection.CollectsFiles, MaxPodResultBytes);
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
        var reader = new PodLogReader(this, script, result);
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

        if (reader.Skipped)
        {
            return false;
        }

        foreach (var warning in exportWarnings)
        {
            _sink.Say(warning);
        }

        TakePodResult(result);
        return true;
    }

    /// <summary>
    /// Exports the variables and unpacks the files of a usable result block; otherwise keeps why, for UPLOAD_ARTIFACTS to
    /// fail with (a build that declared outputs and did not get them is not a success).
    /// </summary>
    private void TakePodResult(PodResult result)
    {
        if (!result.Expected)
        {
            return;
        }

        result.Complete();
        if (result.Problem is null && result.ExpectsFiles && result.TooLarge is null && result.PackFailure is null)
        {
            // Always a directory of its own, even empty: the local source is the tree before the build ran.
            _podOutput = Directory.CreateTempSubdirectory("cairn-pod-result-").FullName;
            if (result.Unpack(_podOutput, out var skipped) && skipped > 0)
            {
                _sink.Say($"[WARN] {skipped} link(s) or special file(s) among the pod's files were not collected: only regular files and directories are");
            }
        }

        if (result.Problem is { } problem)
        {
            _podFailure = (
                $"the result block on the build's pod log cannot be used ({problem}); nothing was collected from the pod",
                "a command printed a line that starts with the build's marker, or the log was cut (a kubelet's log rotation at containerLogMaxSize, 10 MiB by default, can end a followed log): print less, or collect less.");
            return;
        }

        // As on the host, the variables are exported at POST_BUILD's end even when UPLOAD_ARTIFACTS then fails.
        _exported.AddRange(_sink.ExportVariables(result.Exports));
        if (result.TooLarge is { } size)
        {
            _podFailure = (
                $"the files for the build's artifacts, reports and cache are {size / 1024} KiB as a gzipped tar; a Kubernetes build sends them back on its pod log, which Cairn caps at {MaxPodResultBytes / 1024} KiB (kubelets rotate container logs at 10 MiB by default, which can cut a followed log)",
                "upload large outputs yourself in post_build (aws s3 cp), narrow artifacts files and base-directory, or use the docker or host executor for this project.");
        }
        else if (result.PackFailure is { } why)
        {
            _podFailure = ($"the build's pod could not pack its files for artifacts, reports and cache: {why}", "the image needs tar, gzip and base64.");
        }
    }

    private void DeletePodOutput()
    {
        if (_podOutput is { } output && Directory.Exists(output))
        {
            try
            {
                Directory.Delete(output, recursive: true);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Left for the temp cleaner.
            }
        }
    }

    /// <summary>
    /// The paths under the source a pod must send back: where the artifacts' and report groups' globs can match (each
    /// glob's literal directories under its base-directory), and the cache's paths and hash-files globs. "." is everything.
    /// </summary>
    private (List<string> Roots, List<string> CacheRoots) PodRoots(BuildspecDocument document)
    {
        var roots = new List<string>();
        if (document.Artifacts is { } artifacts && _request.ArtifactsDirectory is not null)
        {
            foreach (var artifact in artifacts.SecondaryArtifacts.Prepend(artifacts))
            {
                roots.AddRange(artifact.Files.Select(f => LiteralRoot(artifact.BaseDirectory, f)).OfType<string>());
            }
        }

        foreach (var group in document.Reports)
        {
            roots.AddRange(group.Files.Select(f => LiteralRoot(group.BaseDirectory, f)).OfType<string>());
        }

        var cacheRoots = new List<string>();
        if (document.Cache is { Saves: true } cache && _request.CacheDirectory is not null && ToCacheSpec(cache) is { Paths.Count: > 0 } spec)
        {
            cacheRoots.AddRange(spec.Paths.Concat(LocalBuildCache.HashedGlobs(spec.Key ?? "")).Select(p => LiteralRoot(null, p)).OfType<string>());
        }

        return (Minimal(roots), Minimal(cacheRoots));
    }

    /// <summary>The directories (or file) a glob under a base directory can only match below; null when it leaves the source.</summary>
    private static string? LiteralRoot(string? baseDirectory, string glob)
    {
        var segments = new List<string>();
        foreach (var segment in $"{baseDirectory}/{glob}".Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment.Contains('*', StringComparison.Ordinal) || segment.Contains('?', StringComparison.Ordinal))
            {
                break;
            }

            if (segment == "..")
            {
                return null;
            }

            if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return segments.Count == 0 ? "." : string.Join('/', segments);
    }

    /// <summary>Roots without duplicates or paths inside another root.</summary>
    private static List<string> Minimal(List<string> roots)
    {
        if (roots.Contains("."))
        {
            return ["."];
        }

        var sorted = roots.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return sorted.Where(r => !sorted.Any(o => r.StartsWith(o + "/", StringComparison.Ordinal))).ToList();
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
    private sealed class PodLogReader(BuildRun run, PodScript script, PodResult result)
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
            if (PodResult.IsVerb(words[0]))
            {
                // The result block comes after POST_BUILD's end, and only then.
                if (_started == 4 && PhasesEnded == 4 && !OpenPhase)
                {
                    var rest = line[(_prefix.Length + words[0].Length)..];
                    result.Accept(words[0], rest.StartsWith(' ') ? rest[1..] : rest);
                }
                else
                {
                    result.Fail($"a result line ('{words[0]}') before POST_BUILD ended");
                }

                return;
            }

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
