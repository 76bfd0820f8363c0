using System.Text;

namespace Cairn.Runner.Shell;

/// <summary>
/// Buildspec 0.2's shell: one long-lived shell for all commands of all phases, so <c>cd</c> and <c>export</c> carry
/// over. Commands run one at a time with stdin from /dev/null; stdout and stderr arrive merged in order. A command
/// that makes the shell exit ends that session with its status; the next command starts a fresh shell (initial
/// environment and directory). The shell and everything it starts live in one process group that is stopped
/// (SIGINT, SIGTERM, SIGKILL) on cancellation and on dispose.
/// </summary>
public sealed partial class ShellSession : ICommandShell
{
    private readonly ShellOptions _options;
    private readonly string _shellPath;
    private readonly bool _syntaxCheck;
    private readonly string _scriptDirectory;
    private readonly bool _ownsScriptDirectory;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ShellProcess? _shell;
    private int _commandNumber;
    private bool _disposed;

    public ShellSession(ShellOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _shellPath = ShellLocator.Resolve(options.Shell);
        // bash survives a syntax error in a sourced file; POSIX shells such as dash exit, so they get a parse first.
        _syntaxCheck = !string.Equals(Path.GetFileName(_shellPath), "bash", StringComparison.Ordinal);
        _ownsScriptDirectory = options.ScriptDirectory is null;
        _scriptDirectory = options.ScriptDirectory
            ?? Path.Combine(Path.GetTempPath(), "cairn-shell-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_scriptDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Full path of the shell program in use.</summary>
    public string ShellPath => _shellPath;

    /// <summary>Process group of the running shell, or null when no shell is running.</summary>
    public int? ProcessGroupId => _shell is { HasExited: false } shell ? shell.GroupId : null;

    public async Task<CommandResult> RunAsync(string command, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_shell is { HasExited: true })
            {
                await _shell.DisposeAsync();
                _shell = null;
            }

            var shell = _shell ??= await ShellProcess.StartAsync(_shellPath, _options, cancellationToken);
            var script = WriteScript(ShellProtocol.FlagsPrologue + command);
            try
            {
                var marker = ShellProtocol.NewMarker();
                var line = ShellProtocol.RunLine(_shellPath, script, _syntaxCheck, marker);
                var result = await shell.RunAsync(line, ShellProtocol.MarkerBytes(marker), output, cancellationToken);
                if (result.ShellExited)
                {
                    await shell.DisposeAsync();
                    _shell = null;
                }

                return result;
            }
            catch (OperationCanceledException)
            {
                await shell.DisposeAsync();
                _shell = null;
                throw;
            }
            finally
            {
                File.Delete(script);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_shell is not null)
            {
                await _shell.DisposeAsync();
                _shell = null;
            }

            if (_ownsScriptDirectory)
            {
                try
                {
                    Directory.Delete(_scriptDirectory, recursive: true);
                }
                catch (IOException)
                {
                    // Left for the temp cleaner; it holds nothing but already-run commands.
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private string WriteScript(string command)
    {
        var path = Path.Combine(_scriptDirectory, $"cmd-{Interlocked.Increment(ref _commandNumber)}.sh");
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(path, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(command.EndsWith('\n') ? command : command + "\n"));
        }

        if (_options.ScriptOwner is { } owner && Processes.LibC.Chown(path, owner.UserId, owner.GroupId) != 0)
        {
            throw new IOException($"could not give the script {path} to user {owner.UserId}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        return path;
    }
}
