namespace Cairn.Runner.Shell;

public sealed partial class ShellSession
{
    /// <summary>
    /// Runs <paramref name="commands"/> in order in one round trip with the shell (a sourced driver file), stopping at the
    /// first that fails, with the same semantics as calling <see cref="RunAsync"/> for each: same shell state, flags,
    /// redirections and syntax check; a command that makes the shell exit ends it and the next command gets a fresh shell.
    /// </summary>
    public async Task<IReadOnlyList<CommandResult>> RunSequenceAsync(
        IReadOnlyList<string> commands, Func<int, Stream> begin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(begin);
        var results = new List<CommandResult>();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var next = 0;
            while (next < commands.Count)
            {
                var offset = next;
                next = await RunBatchAsync(commands, offset, begin, results, cancellationToken);
            }

            return results;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs commands[offset..] in the current (or a new) shell; returns where to go on (Count when done).</summary>
    private async Task<int> RunBatchAsync(
        IReadOnlyList<string> commands, int offset, Func<int, Stream> begin, List<CommandResult> results, CancellationToken cancellationToken)
    {
        if (_shell is { HasExited: true })
        {
            await _shell.DisposeAsync();
            _shell = null;
        }

        var shell = _shell ??= await ShellProcess.StartAsync(_shellPath, _options, cancellationToken);
        var scripts = new List<BatchCommand>();
        for (var i = offset; i < commands.Count; i++)
        {
            // A plain command goes in the driver: no file of its own to write, open, read and delete.
            var command = commands[i];
            scripts.Add(BatchProtocol.IsPlain(command)
                ? new BatchCommand(null, command.Trim(' ', '\t', '\r', '\n'), false)
                : new BatchCommand(WriteScript(ShellProtocol.FlagsPrologue + command), null, _syntaxCheck && BatchProtocol.MayHaveSyntaxError(command)));
        }

        var id = ShellProtocol.NewMarker();
        var end = ShellProtocol.NewMarker();
        var driver = WriteScript(BatchProtocol.Driver(_shellPath, scripts, id));
        // Once the shell has opened the driver (its first marker arrived) the file can go: no command should read the markers.
        using var splitter = new BatchOutputSplitter(ShellProtocol.MarkerBytes(id), i =>
        {
            if (i == 0)
            {
                File.Delete(driver);
            }

            return begin(offset + i);
        });
        CommandResult batch;
        try
        {
            batch = await shell.RunAsync(BatchProtocol.RunLine(driver, end), ShellProtocol.MarkerBytes(end), splitter, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            splitter.Finish();
            await shell.DisposeAsync();
            _shell = null;
            throw;
        }
        finally
        {
            File.Delete(driver);
            foreach (var script in scripts)
            {
                if (script.Script is not null)
                {
                    File.Delete(script.Script);
                }
            }
        }

        splitter.Finish();
        if (batch.ShellExited)
        {
            await shell.DisposeAsync();
            _shell = null;
        }

        var begun = splitter.Begun;
        for (var i = 0; i < scripts.Count; i++)
        {
            if (splitter.Ended(i) is { } ended)
            {
                results.Add(new CommandResult(ended.Status, false, ended.Duration));
                if (ended.Status != 0)
                {
                    return commands.Count;
                }

                continue;
            }

            if (batch.ShellExited && begun.Contains(i))
            {
                // The command made the shell exit (exit, set -e): its status is the shell's; after exit 0 the rest go on in a new shell.
                results.Add(new CommandResult(batch.ExitCode, true, splitter.SinceLastBegin));
                return batch.ExitCode == 0 ? offset + i + 1 : commands.Count;
            }

            // The shell went away before the command could start (or the driver stopped early): it failed to run.
            results.Add(new CommandResult(batch.ShellExited && batch.ExitCode != 0 ? batch.ExitCode : 1, batch.ShellExited, TimeSpan.Zero));
            return commands.Count;
        }

        return commands.Count;
    }
}
