namespace Cairn.Runner.Shell;

/// <summary>Runs build commands one at a time, streaming their merged stdout and stderr to a sink.</summary>
public interface ICommandShell : IAsyncDisposable
{
    /// <summary>
    /// Runs <paramref name="command"/> (any shell text, possibly several lines) with stdin from /dev/null and writes its
    /// output to <paramref name="output"/> as it arrives; returns once the command has ended and all of its output has
    /// been written. Cancelling stops the command's whole process tree and then throws.
    /// </summary>
    Task<CommandResult> RunAsync(string command, Stream output, CancellationToken cancellationToken);
}
