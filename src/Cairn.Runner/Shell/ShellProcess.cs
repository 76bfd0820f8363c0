using System.Diagnostics;
using System.Text;
using Cairn.Runner.Processes;

namespace Cairn.Runner.Shell;

/// <summary>
/// One running shell process, leader of its own process group, with pumps that feed its output pipe (and the stderr
/// pipe it uses only until start-up merges stderr into stdout) through a <see cref="CommandOutputSplitter"/>.
/// </summary>
internal sealed class ShellProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly CommandOutputSplitter _splitter = new();
    private readonly Task _outputPump;
    private readonly Task _errorPump;
    private readonly Task _exited;
    private readonly TimeSpan _grace;

    private ShellProcess(Process process, TimeSpan grace)
    {
        _process = process;
        _grace = grace;
        _stdin = process.StandardInput.BaseStream;
        _exited = process.WaitForExitAsync();
        _outputPump = StartPump(process.StandardOutput.BaseStream);
        _errorPump = StartPump(process.StandardError.BaseStream);
    }

    public int GroupId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static async Task<ShellProcess> StartAsync(string shellPath, ShellOptions options, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(options.WorkingDirectory))
        {
            throw new DirectoryNotFoundException($"The build's working directory '{options.WorkingDirectory}' does not exist.");
        }

        var startInfo = new ProcessStartInfo(shellPath)
        {
            WorkingDirectory = options.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!options.InheritEnvironment)
        {
            startInfo.Environment.Clear();
        }

        foreach (var (name, value) in options.Variables)
        {
            startInfo.Environment[name] = value;
        }

        var shell = new ShellProcess(ProcessGroups.StartInNewGroup(startInfo), options.StopGracePeriod);
        await shell.SendAsync(ShellProtocol.Startup, cancellationToken);
        return shell;
    }

    /// <summary>Sends one protocol line and waits for its end marker, for the shell to exit, or for cancellation.</summary>
    public async Task<CommandResult> RunAsync(string line, byte[] marker, Stream output, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var completion = _splitter.Begin(marker, output);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = cancellationToken.Register(() => cancelled.TrySetResult());
        try
        {
            await SendAsync(line, CancellationToken.None);
        }
        catch (IOException)
        {
            // The shell is already gone (broken pipe); its exit is handled below like any other.
        }

        var first = await Task.WhenAny(completion, _exited, cancelled.Task);
        if (first == completion)
        {
            return new CommandResult(await completion, false, Stopwatch.GetElapsedTime(started));
        }

        if (first == cancelled.Task)
        {
            await StopAsync();
            _splitter.Abandon();
            cancellationToken.ThrowIfCancellationRequested();
        }

        // The shell exited: stop what it left running so the pipe reaches end of file, then collect the last output.
        await StopAsync();
        if (completion.IsCompletedSuccessfully)
        {
            return new CommandResult(completion.Result, false, Stopwatch.GetElapsedTime(started));
        }

        _splitter.Abandon();
        return new CommandResult(_process.ExitCode, true, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Closes the shell's input, stops its whole process group and waits for the output pumps to drain.</summary>
    public async Task StopAsync()
    {
        try
        {
            _stdin.Close();
        }
        catch (IOException)
        {
            // Already closed by the other side.
        }

        await ProcessGroups.TerminateAsync(GroupId, _grace);
        await Task.WhenAny(_exited, Task.Delay(_grace));
        // A process that left the group (setsid) may still hold the pipe open; do not wait for it forever.
        await Task.WhenAny(Task.WhenAll(_outputPump, _errorPump), Task.Delay(_grace));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        await _stdin.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await _stdin.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Reads a pipe on a thread of its own with blocking reads: a build printing megabytes is read in 64 KiB chunks by one
    /// thread, where asynchronous reads handed each chunk to another thread-pool thread (and the idle workers spun in
    /// sched_yield waiting for the next): 2.9x the CPU for a 200 MB build (docs/performance.md, "A build that prints a lot").
    /// </summary>
    private Task StartPump(Stream pipe) =>
        Task.Factory.StartNew(() => Pump(pipe), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Pump(Stream pipe)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = pipe.Read(buffer)) > 0)
            {
                _splitter.Feed(buffer.AsSpan(0, read));
            }

            _splitter.Complete();
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            _splitter.Complete();
        }
        catch (Exception exception)
        {
            // A failing sink must not leave the command waiting for a marker that will never be read.
            _splitter.Fail(exception);
        }
    }
}
