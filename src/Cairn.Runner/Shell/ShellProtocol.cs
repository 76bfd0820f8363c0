using System.Security.Cryptography;
using System.Text;

namespace Cairn.Runner.Shell;

/// <summary>
/// The lines the runner feeds a long-lived shell on its stdin. Each command sits in its own script file and is
/// sourced with <c>.</c> (so cd and export carry over); afterwards the shell prints a random end marker and the exit
/// status on a saved copy of the output pipe.
/// </summary>
/// <remarks>The marker is written as two halves joined by printf, so echoing the input (<c>set -v</c>) or tracing it
/// (<c>set -x</c>) never shows the joined marker; commands cannot guess it because it is new for every command.</remarks>
internal static class ShellProtocol
{
    /// <summary>Merges stderr into stdout (one pipe keeps their order) and keeps fd 8 as the marker channel.</summary>
    public const string Startup = "exec 2>&1 8>&1; __cairn_flags=\n";

    public static (string FirstHalf, string SecondHalf) NewMarker()
    {
        var hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return ("cairn-end-" + hex[..16], hex[16..]);
    }

    public static byte[] MarkerBytes((string FirstHalf, string SecondHalf) marker) =>
        Encoding.ASCII.GetBytes(marker.FirstHalf + marker.SecondHalf);

    /// <summary>
    /// The line that runs one script. <paramref name="syntaxCheck"/> is for shells such as dash that exit on a syntax
    /// error in a sourced file: the script is parsed by a separate shell first and reports status 2 instead.
    /// </summary>
    public static string RunLine(string shellPath, string scriptPath, bool syntaxCheck, (string FirstHalf, string SecondHalf) marker)
    {
        var script = Quote(scriptPath);
        // The script's first line (FlagsPrologue) turns the user's -v/-x back on for the command only; they are switched
        // off again while the runner's bookkeeping runs and the next line is read.
        var source = $". {script} </dev/null 8>&-";
        var run = syntaxCheck
            ? $"if {Quote(shellPath)} -n {script} </dev/null 8>&-; then {source}; else (exit 2); fi"
            : source;
        return run
            + "; { __cairn_status=$?; __cairn_flags=$-; set +xv; } 2>/dev/null"
            + $"; printf '%s%s %d\\n' {Quote(marker.FirstHalf)} {Quote(marker.SecondHalf)} \"$__cairn_status\" >&8\n";
    }

    /// <summary>
    /// The first line of every command's script file: the user's -v and -x come back on there, inside the file, so the
    /// runner's own line that sources it (with the file's path) is neither echoed nor traced, and this line is read
    /// before -v is on. The command's lines follow.
    /// </summary>
    public const string FlagsPrologue = "case $__cairn_flags in *v*) set -v;; esac; case $__cairn_flags in *x*) set -x;; esac\n";

    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
