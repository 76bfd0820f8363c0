using Cairn.Runner.Shell;

namespace Cairn.Runner.Builds;

/// <summary>
/// A place with no shell this process can drive command by command (a Kubernetes pod): the build's command phases go there
/// at once, as one script (<see cref="PodScript"/>), and come back as a log whose marker lines say where phases start and
/// end. The build's DOWNLOAD_SOURCE (variables, Parameter Store values, masking) still runs here, in <see cref="BuildRun"/>.
/// </summary>
public abstract record PodPlacement : BuildPlacement
{
    public override IShellHost Open() =>
        throw new NotSupportedException("a pod placement runs the whole script at once; BuildRun hands it a PodBuild instead of opening shells");

    /// <summary>
    /// Runs <paramref name="build"/> to its end, handing every line of its log to <paramref name="onLine"/> in order, and
    /// returns the script's exit code (null when the pod ended without one). Cancelling removes what was created and throws.
    /// </summary>
    public abstract Task<int?> RunAsync(PodBuild build, Action<string> onLine, CancellationToken cancellationToken);
}

/// <summary>
/// One build as a pod runs it: the script and the source (a gzipped tar) go in a ConfigMap, <see cref="SecretVariables"/>
/// (every variable whose value the log masks) in a Secret, <see cref="Variables"/> in the pod's spec.
/// </summary>
public sealed record PodBuild(
    string BuildId,
    string ProjectName,
    string Image,
    string Shell,
    string Script,
    byte[] SourceArchive,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyDictionary<string, string> SecretVariables,
    TimeSpan Timeout)
{
    /// <summary>Where the ConfigMap (run.sh, source.tgz) is mounted; the script reads it from $CAIRN_BUILD_DIR.</summary>
    public const string BuildDirectory = "/cairn/build";

    /// <summary>The pod's scratch volume; the source is unpacked in $CAIRN_WORK_DIR/src (CODEBUILD_SRC_DIR).</summary>
    public const string WorkDirectory = "/codebuild/output";

    public const string ScriptFile = "run.sh";

    public const string SourceFile = "source.tgz";
}
