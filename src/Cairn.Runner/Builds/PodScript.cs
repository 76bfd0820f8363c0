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
/// never shows. RETRY is run as ABORT here (said in the log). After POST_BUILD it prints the result block
/// (<see cref="PodCollection"/>, read back by <see cref="PodResult"/>).
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

    public static PodScript Create(BuildspecDocument document, PodCollection? collection = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        collection ??= PodCollection.None;
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

        text.Append(Collect(collection));
        text.Append("exit \"$cairn_failed\"\n");
        return new PodScript(marker, text.ToString(), commands);
    }

    /// <summary>
    /// The result block, unless INSTALL or PRE_BUILD stopped the build: each exported variable as one line (its value in
    /// base64), then the roots that exist packed with tar from the source directory (the cache's only when nothing
    /// failed), in base64 lines of 76 characters each written by one printf, so a background process's output cannot
    /// split one; over the cap only its size is said.
    /// </summary>
    private static string Collect(PodCollection collection)
    {
        var text = new StringBuilder("if [ \"$cairn_skip\" -eq 0 ]; then\n");
        foreach (var name in collection.ExportNames)
        {
            text.Append(CultureInfo.InvariantCulture, $"cairn_e=$(printf '%s' \"${{{name}-}}\" | base64 | tr -d '\\n'); printf '%s export {name} %s\\n' \"$cairn_m\" \"$cairn_e\"\n");
        }

        if (collection.CollectsFiles)
        {
            var roots = string.Join(' ', collection.Roots.Select(r => Quote("./" + r)));
            var cacheRoots = string.Join(' ', collection.CacheRoots.Select(r => Quote("./" + r)));
            text.Append(CultureInfo.InvariantCulture, $$"""
                cairn_out="$CAIRN_WORK_DIR/cairn-result.tgz"
                cairn_why=$(cd "$CAIRN_WORK_DIR/src" || exit 1
                  set --
                  for cairn_p in {{roots}}; do if [ -e "$cairn_p" ] || [ -L "$cairn_p" ]; then set -- "$@" "$cairn_p"; fi; done
                  if [ "$cairn_failed" -eq 0 ]; then for cairn_p in {{cacheRoots}}; do if [ -e "$cairn_p" ] || [ -L "$cairn_p" ]; then set -- "$@" "$cairn_p"; fi; done; fi
                  if [ "$#" -eq 0 ]; then : > "$cairn_out"; exit 0; fi
                  tar -czf "$cairn_out" "$@" 2>&1 >/dev/null) || cairn_why="tar failed: $(printf '%s' "$cairn_why" | tr '\n' ' ')"
                if [ -n "$cairn_why" ] && [ ! -s "$cairn_out" ]; then printf '%s nofiles %s\n' "$cairn_m" "$cairn_why"
                else
                  cairn_n=$(($(wc -c < "$cairn_out")))
                  if [ "$cairn_n" -gt {{collection.MaxArchiveBytes}} ]; then printf '%s toolarge %s\n' "$cairn_m" "$cairn_n"
                  else
                    printf '%s files %s\n' "$cairn_m" "$cairn_n"
                    if [ "$cairn_n" -gt 0 ]; then base64 "$cairn_out" | while IFS= read -r cairn_l; do printf '%s data %s\n' "$cairn_m" "$cairn_l"; done; fi
                    printf '%s files-end\n' "$cairn_m"
                  fi
                fi
                rm -f "$cairn_out"

                """);
        }

        return text.Append("fi\n").ToString();
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
