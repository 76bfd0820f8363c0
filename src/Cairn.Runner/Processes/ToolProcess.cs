using System.Diagnostics;
using System.Text;

namespace Cairn.Runner.Processes;

/// <summary>
/// Runs a helper program (git, docker, cp) to completion in its own process group, capturing its merged output;
/// cancelling stops the whole group. For the runner's own plumbing, not for build commands.
/// </summary>
public static class ToolProcess
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>; never throws for a non-zero exit.</summary>
    /// <param name="environment">Variables set on top of this process's environment (null values remove one).</param>
    public static async Task<ToolResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        Process process;
        try
        {
            process = ProcessGroups.StartInNewGroup(startInfo);
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            return new ToolResult(127, $"{program}: {error.Message}");
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = new StringBuilder();
            var stdout = CollectAsync(process.StandardOutput, output);
            var stderr = CollectAsync(process.StandardError, output);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await ProcessGroups.TerminateAsync(process.Id, TimeSpan.FromSeconds(2), CancellationToken.None);
                throw;
            }

            await Task.WhenAll(stdout, stderr);
            return new ToolResult(process.ExitCode, output.ToString());
        }
    }

    private static async Task CollectAsync(StreamReader reader, StringBuilder into)
    {
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            lock (into)
            {
                into.Append(line).Append('\n');
            }
        }
    }
}
