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

    /// <summary>
    /// Runs <paramref name="commands"/> in order until one fails, as <see cref="RunAsync"/> would one by one; before a
    /// command starts, <paramref name="begin"/> gets its index and returns the sink for its output. Returns the results
    /// of the commands that ran (the last one is the failure, if any). Shells that can run a sequence in one round trip
    /// override this.
    /// </summary>
    async Task<IReadOnlyList<CommandResult>> RunSequenceAsync(IReadOnlyList<string> commands, Func<int, Stream> begin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(begin);
        var results = new List<CommandResult>();
        for (var i = 0; i < commands.Count; i++)
        {
            var result = await RunAsync(commands[i], begin(i), cancellationToken);
            results.Add(result);
            if (!result.Succeeded)
            {
                break;
            }
        }

        return results;
    }
}
