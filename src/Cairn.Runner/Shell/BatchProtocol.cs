using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Runner.Shell;

/// <summary>
/// Several commands in one round trip: a driver file sourced by the long-lived shell runs each command's script exactly
/// as <see cref="ShellProtocol.RunLine"/> does (same flags, redirections and syntax check), printing a begin marker
/// before it and an end marker with its status after it, and stops at the first command that fails.
/// </summary>
/// <remarks>Each command's line is read only after the previous command's bookkeeping has switched -v and -x off, so
/// neither verbose nor trace mode shows the driver. The markers share one random id (halves joined by printf, as
/// for single commands) and the driver file is deleted once the shell has opened it.</remarks>
internal static partial class BatchProtocol
{
    /// <summary>The driver's text for <paramref name="scripts"/>, numbered from 0, with markers built from <paramref name="id"/>.</summary>
    public static string Driver(string shellPath, IReadOnlyList<(string Script, bool SyntaxCheck)> scripts, (string FirstHalf, string SecondHalf) id)
    {
        var text = new StringBuilder();
        var first = ShellProtocol.Quote(id.FirstHalf);
        var second = ShellProtocol.Quote(id.SecondHalf);
        for (var i = 0; i < scripts.Count; i++)
        {
            var (path, syntaxCheck) = scripts[i];
            var script = ShellProtocol.Quote(path);
            var number = i.ToString(CultureInfo.InvariantCulture);
            var source = $". {script} </dev/null 8>&-";
            var run = syntaxCheck
                ? $"if {ShellProtocol.Quote(shellPath)} -n {script} </dev/null 8>&-; then {source}; else (exit 2); fi"
                : source;
            text.Append($"printf '%s%sb%d\\n' {first} {second} {number} >&8; ")
                .Append("case $__cairn_flags in *v*) set -v;; esac; case $__cairn_flags in *x*) set -x;; esac; ")
                .Append(run)
                .Append("; { __cairn_status=$?; __cairn_flags=$-; set +xv; } 2>/dev/null")
                .Append($"; printf '%s%se%d %d\\n' {first} {second} {number} \"$__cairn_status\" >&8")
                .Append("; [ \"$__cairn_status\" -eq 0 ] || return 0\n");
        }

        return text.ToString();
    }

    /// <summary>The stdin line that sources the driver and then prints the batch's end marker.</summary>
    public static string RunLine(string driverPath, (string FirstHalf, string SecondHalf) end) =>
        $". {ShellProtocol.Quote(driverPath)} </dev/null"
        + "; { __cairn_status=$?; set +xv; } 2>/dev/null"
        + $"; printf '%s%s %d\\n' {ShellProtocol.Quote(end.FirstHalf)} {ShellProtocol.Quote(end.SecondHalf)} \"$__cairn_status\" >&8\n";

    /// <summary>
    /// Whether a POSIX shell that exits on a syntax error in a sourced file must parse <paramref name="command"/> first:
    /// false only for one line of plain words and $NAME / ${NAME} expansions, which cannot be a syntax error.
    /// </summary>
    public static bool MayHaveSyntaxError(string command) => !PlainCommand().IsMatch(command);

    // Words of letters, digits and _./:=,@%+-~*?^ (no quotes, operators, redirections, brackets or comments), the first
    // of which is not a reserved word.
    [GeneratedRegex(@"^[ \t]*(?!(?:if|then|else|elif|fi|do|done|case|esac|while|until|for|in|function|select)(?:[ \t]|$))(?:[A-Za-z0-9_./:=,@%+\-~*?^]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\}|[ \t])+$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainCommand();
}
