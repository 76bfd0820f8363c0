namespace Cairn.Runner.Shell;

/// <summary>How one command ended.</summary>
/// <param name="ExitCode">The command's exit status (128 + n when killed by signal n).</param>
/// <param name="ShellExited">The command made the shell itself exit (<c>exit 3</c>, <c>set -e</c>); the session
/// ended with <paramref name="ExitCode"/> and the next command starts a fresh shell.</param>
/// <param name="Duration">Wall-clock time the command took.</param>
public sealed record CommandResult(int ExitCode, bool ShellExited, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;
}
