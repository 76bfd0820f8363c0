using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Runner.Shell;

/// <summary>
/// Several commands in one round trip: a driver file sourced by the long-lived shell runs each command exactly as
/// <see cref="ShellProtocol.RunLine"/> does (same flags, redirections and syntax check), printing a begin marker before
/// it and an end marker with its status after it, and stops at the first command that fails. A plain command (one line
/// of words and $NAMEs, <see cref="IsPlain"/>) is written into the driver itself instead of a script file of its own.
/// </summary>
/// <remarks>Each command's line is read only after the previous command's bookkeeping has switched -v and -x off, so
/// neither verbose nor trace mode shows the driver; for a command in the driver, verbose mode's echo of the line is
/// printed by the driver. The markers share one random id (halves joined by printf, as for single commands) and the
/// driver file is deleted once the shell has opened it. The whole driver reads /dev/null (<see cref="RunLine"/>); a
/// command that is not a known builtin runs without fd 8, so nothing it starts holds the marker channel open.</remarks>
internal static partial class BatchProtocol
{
    /// <summary>
    /// The driver's text for <paramref name="commands"/>, numbered from 0, with markers built from <paramref name="id"/>.
    /// Each is a script file to source (with a syntax check first when asked) or, when <c>Inline</c> is set, a plain
    /// command to run in place.
    /// </summary>
    public static string Driver(string shellPath, IReadOnlyList<BatchCommand> commands, (string FirstHalf, string SecondHalf) id)
    {
        var text = new StringBuilder();
        var first = ShellProtocol.Quote(id.FirstHalf);
        var second = ShellProtocol.Quote(id.SecondHalf);
        text.Append($"printf '%s%sb%d\\n' {first} {second} 0 >&8\n");
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            var number = i.ToString(CultureInfo.InvariantCulture);
            string run;
            if (command.Inline is { } line)
            {
                // The user's -v/-x come back on for the command only (x last). A file's line is echoed by -v as it is
                // read; the driver's line was read before -v came back, so the driver echoes it.
                run = $"case $__cairn_flags in *v*) printf '%s\\n' {ShellProtocol.Quote(line)} >&2; set -v;; esac; case $__cairn_flags in *x*) set -x;; esac; "
                    + (IsBuiltin(line) ? line : $"{{ {line}; }} 8>&-");
            }
            else
            {
                // The file turns -v/-x back on itself (ShellProtocol.FlagsPrologue): this line is not traced.
                var script = ShellProtocol.Quote(command.Script!);
                var source = $". {script} </dev/null 8>&-";
                run = command.SyntaxCheck
                    ? $"if {ShellProtocol.Quote(shellPath)} -n {script} </dev/null 8>&-; then {source}; else (exit 2); fi"
                    : source;
            }

            // The end marker, and the next command's begin marker when this one succeeded, in one redirection.
            var next = i + 1 < commands.Count
                ? $"; [ \"$__cairn_status\" -ne 0 ] || printf '%s%sb%d\\n' {first} {second} {(i + 1).ToString(CultureInfo.InvariantCulture)}"
                : "";
            text.Append(run)
                .Append($"; {{ __cairn_status=$?; __cairn_flags=$-; set +xv; printf '%s%se%d %d\\n' {first} {second} {number} \"$__cairn_status\"{next}; }} 2>/dev/null >&8")
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

    /// <summary>
    /// Whether <paramref name="command"/> can run in the driver itself, as it would from a file of its own: a plain
    /// command (<see cref="MayHaveSyntaxError"/> is false) on one line, other than <c>return</c>, which would return
    /// from the driver instead of from the command's file.
    /// </summary>
    public static bool IsPlain(string command) =>
        !command.Contains('\n', StringComparison.Ordinal) && PlainCommand().IsMatch(command) && FirstWord(command) != "return";

    /// <summary>Builtins of both dash and bash that start no process, so nothing can inherit the marker channel.</summary>
    private static bool IsBuiltin(string command) =>
        FirstWord(command) is "echo" or "printf" or "cd" or "export" or "unset" or "true" or "false" or ":" or "pwd" or "set" or "umask" or "shift";

    private static string FirstWord(string command) => command.TrimStart(' ', '\t').Split([' ', '\t'], 2)[0];

    // Words of letters, digits and _./:=,@%+-~*?^ (no quotes, operators, redirections, brackets or comments), the first
    // of which is not a reserved word.
    [GeneratedRegex(@"^[ \t]*(?!(?:if|then|else|elif|fi|do|done|case|esac|while|until|for|in|function|select)(?:[ \t]|$))(?:[A-Za-z0-9_./:=,@%+\-~*?^]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\}|[ \t])+$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainCommand();
}

/// <summary>One command of a batch: a script file to source (<see cref="Script"/>, syntax-checked first when asked) or a plain command run in the driver (<see cref="Inline"/>).</summary>
internal sealed record BatchCommand(string? Script, string? Inline, bool SyntaxCheck);
