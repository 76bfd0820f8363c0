namespace Cairn.Runner.Shell;

/// <summary>Shells on this host as this process's user.</summary>
public sealed class HostShells : IShellHost
{
    public ICommandShell Create(ShellOptions options, bool sharesOneShell) =>
        sharesOneShell ? new ShellSession(options) : new PerCommandShell(options);
}
