namespace Cairn.Runner.Processes;

/// <summary>How a helper program ended: its exit status and its merged stdout and stderr.</summary>
public sealed record ToolResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The output's last non-empty line, which is where git and docker put their error.</summary>
    public string LastLine => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
}
