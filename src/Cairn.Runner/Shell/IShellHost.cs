namespace Cairn.Runner.Shell;

/// <summary>Makes the shells one build's commands run in (on the host, in a sandbox, in a container).</summary>
public interface IShellHost
{
    /// <summary>A shell for the build's commands: one session (buildspec 0.2, <paramref name="sharesOneShell"/>) or one per command (0.1).</summary>
    ICommandShell Create(ShellOptions options, bool sharesOneShell);
}
