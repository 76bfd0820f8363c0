using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cairn.Core.Buildspec;

namespace Cairn.Runner.Builds;

/// <summary>
/// The POSIX sh script a pod runs for INSTALL, PRE_BUILD, BUILD and POST_BUILD, with CodeBuild's transitions: a failed
/// INSTALL or PRE_BUILD skips the later phases, a failed BUILD still runs POST_BUILD with CODEBUILD_BUILD_SUCCEEDING=0,
/// on-failure CONTINUE goes on; finally blocks run after their phase's commands. Commands run with eval in one shell, so
/// cd and variables carry over as in buildspec 0.2. It prints marker lines ("&lt;marker&gt; start BUILD", "run 3",
/// "fail 3 2", "end BUILD 2") with a per-build random marker that <see cref="BuildRun"/> turns into phases and
/// never shows. RETRY is run as ABORT here (said in the log).
/// </summary>
public sealed class PodScript
{
    private static readonly BuildspecPhaseName[] CommandPhases =
        [BuildspecPhaseName.Install, BuildspecPhaseName.PreBuild, BuildspecPhaseName.Build, BuildspecPhaseName.PostBuild];

    private PodScript(string marker, string text, IReadOnlyList<string> commands)
    {
        Marker = marker;
        Text = text;
        Commands = commands;
    }

    /// <summary>The prefix of the script's marker lines: "##cairn-" and 16 random hex digits.</summary>
    public string Marker { get; }

    public string Text { get; }

    /// <summary>Every command and finally command, by the index the "run" and "fail" markers give.</summary>
    public IReadOnlyList<string> Commands { get; }

    public static PodScript Create(BuildspecDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var marker = "##cairn-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var commands = new List<string>();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            set +e
            cairn_m='{{marker}}'
            mkdir -p "$CAIRN_WORK_DIR/src" || exit 70
            if [ -s "$CAIRN_BUILD_DIR/{{PodBuild.SourceFile}}" ]; then tar -xzf "$CAIRN_BUILD_DIR/{{PodBuild.SourceFile}}" -C "$CAIRN_WORK_DIR/src" || { echo "cannot unpack the source (the image needs tar and gzip)"; exit 70; }; fi
            export CODEBUILD_SRC_DIR="$CAIRN_WORK_DIR/src"
            cd "$CODEBUILD_SRC_DIR" || exit 70
            cairn_run() { printf '%s run %s\n' "$cairn_m" "$1"; eval "$2"; cairn_rc=$?; [ "$cairn_rc" -eq 0 ] || printf '%s fail %s %s\n' "$cairn_m" "$1" "$cairn_rc"; return "$cairn_rc"; }
            cairn_failed=0
            cairn_skip=0

            """);
        foreach (var name in CommandPhases)
        {
            var phase = document.GetPhase(name);
            var type = Core.Builds.BuildPhaseTypes.Of(name);
            text.Append(CultureInfo.InvariantCulture, $"if [ \"$cairn_skip\" -eq 0 ]; then\nprintf '%s start {type}\\n' \"$cairn_m\"\ncairn_status=0\ncairn_fin=0\n");
            text.Append(Sequence(phase?.Commands.Select(c => c.Text) ?? [], commands, "cairn_status"));
            text.Append(Sequence(phase?.Finally.Select(c => c.Text) ?? [], commands, "cairn_fin"));
            text.Append(CultureInfo.InvariantCulture, $"[ \"$cairn_status\" -ne 0 ] || cairn_status=$cairn_fin\nprintf '%s end {type} %s\\n' \"$cairn_m\" \"$cairn_status\"\n");
            var stops = phase?.OnFailure?.Action != OnFailureAction.Continue && name is BuildspecPhaseName.Install or BuildspecPhaseName.PreBuild;
            text.Append(CultureInfo.InvariantCulture, $"if [ \"$cairn_status\" -ne 0 ]; then cairn_failed=1; export CODEBUILD_BUILD_SUCCEEDING=0;{(stops ? " cairn_skip=1;" : "")} fi\nfi\n");
        }

        text.Append("exit \"$cairn_failed\"\n");
        return new PodScript(marker, text.ToString(), commands);
    }

    /// <summary>Runs the commands in order until one fails, leaving its exit status in <paramref name="status"/>.</summary>
    private static string Sequence(IEnumerable<string> phaseCommands, List<string> commands, string status)
    {
        var calls = new List<string>();
        foreach (var command in phaseCommands)
        {
            calls.Add($"cairn_run {commands.Count} {Quote(command)}");
            commands.Add(command);
        }

        return calls.Count == 0 ? "" : $"{{ {string.Join(" && ", calls)}; }} || {status}=$?\n";
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
