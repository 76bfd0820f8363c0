using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Cairn.Core.Buildspec;
using Cairn.Runner.Builds;

namespace Cairn.Bench.Builds;

/// <summary>
/// The executor alone (no process start-up, no JIT): a buildspec of <see cref="Commands"/> trivial commands in one BUILD
/// phase, against the shell running the same commands as one script. The difference divided by the command count is
/// the per-command cost of the runner (script file, protocol line, end marker, log lines, masking).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class BuildExecutorBenchmarks
{
    private string _directory = "";
    private string _script = "";
    private BuildspecParseResult _buildspec = null!;

    [Params(200)]
    public int Commands { get; set; }

    [Params("sh", "bash")]
    public string Shell { get; set; } = "sh";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("cairn-bench-build-").FullName;
        var commands = Enumerable.Range(0, Commands).Select(i => $"echo step {i}").ToList();
        _script = Path.Combine(_directory, "script.sh");
        File.WriteAllText(_script, string.Join('\n', commands) + "\n");
        var yaml = new StringBuilder($"version: 0.2\nenv:\n  shell: {Shell}\nphases:\n  build:\n    commands:\n");
        foreach (var command in commands)
        {
            yaml.Append("      - ").Append(command).Append('\n');
        }

        _buildspec = BuildspecParser.Parse(yaml.ToString());
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true)]
    public async Task<int> ShellScript()
    {
        using var process = Process.Start(new ProcessStartInfo(Shell, [_script]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    [Benchmark]
    public async Task<bool> BuildExecutor()
    {
        var request = new BuildRequest
        {
            Buildspec = _buildspec,
            SourceDirectory = _directory,
            Identity = BuildIdentity.New("bench", 1, "bench"),
        };
        var result = await new Cairn.Runner.Builds.BuildExecutor().RunAsync(request, Stream.Null);
        return result.Succeeded;
    }
}
