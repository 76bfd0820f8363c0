namespace Cairn.Runner.Shell;

/// <summary>How build commands are run: which shell, where, with which environment.</summary>
public sealed record ShellOptions
{
    /// <summary>The buildspec's env.shell: <c>bash</c>, <c>sh</c>, <c>/bin/sh</c>, or a path to a POSIX shell.</summary>
    public string Shell { get; init; } = "sh";

    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Variables set when the shell starts, taken literally (no expansion).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the shell starts with this process's environment (then <see cref="Variables"/> on top).</summary>
    public bool InheritEnvironment { get; init; } = true;

    /// <summary>Directory for the per-command script files; a private temporary directory when null.</summary>
    public string? ScriptDirectory { get; init; }

    /// <summary>The user and group the script files are given to (a sandboxed shell runs as another user); null keeps this process's.</summary>
    public (int UserId, int GroupId)? ScriptOwner { get; init; }

    /// <summary>How long stopped processes get after SIGINT and again after SIGTERM before the next signal.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(2);
}
