namespace Cairn.Runner.Shell;

/// <summary>
/// Buildspec 0.1's shell: every command runs in a fresh shell (starting in the initial directory with the initial
/// environment), and whatever a command leaves running is stopped when it ends.
/// </summary>
public sealed class PerCommandShell(ShellOptions options) : ICommandShell
{
    public async Task<CommandResult> RunAsync(string command, Stream output, CancellationToken cancellationToken)
    {
        await using var session = new ShellSession(options);
        var result = await session.RunAsync(command, output, cancellationToken);
        return result with { ShellExited = false };
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
