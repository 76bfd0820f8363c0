using Cairn.Runner.Processes;

namespace Cairn.EndToEnd.Tests.Install;

/// <summary>scripts/link-cairn.sh, which scripts/serve.sh runs so that README's `cairn ...` commands work after its first command.</summary>
public sealed class LinkCairnScriptTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("cairn-home-").FullName;

    [Fact]
    public async Task With_local_bin_on_PATH_serve_links_cairn_there_so_cairn_runs()
    {
        var bin = Path.Combine(_home, ".local", "bin");
        var cairn = FakeCairn();

        var link = await RunAsync(cairn, $"{bin}:/usr/bin:/bin");
        var run = await ToolProcess.RunAsync("sh", ["-c", "cairn --version"], _home, new Dictionary<string, string?> { ["PATH"] = $"{bin}:/usr/bin:/bin" });

        Assert.True(link.Succeeded, link.Output);
        Assert.Equal($"cairn: linked {bin}/cairn -> {cairn}", link.Output.Trim());
        Assert.Equal("fake cairn --version", run.Output.Trim());
    }

    [Fact]
    public async Task Without_a_bin_directory_on_PATH_serve_prints_where_cairn_is_and_the_line_that_adds_it()
    {
        var cairn = FakeCairn();

        var result = await RunAsync(cairn, "/usr/bin:/bin");

        Assert.True(result.Succeeded, result.Output);
        Assert.Contains($"cairn is at {cairn}; to run it as `cairn`: export PATH=\"{Path.GetDirectoryName(cairn)}:$PATH\"", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home, ".local", "bin", "cairn")));
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private string FakeCairn()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_home, "repo", "bin")).FullName;
        var path = Path.Combine(directory, "cairn");
        File.WriteAllText(path, "#!/bin/sh\necho \"fake cairn $*\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private Task<ToolResult> RunAsync(string cairn, string path) =>
        ToolProcess.RunAsync("bash", [Path.Combine(RepositoryRoot(), "scripts", "link-cairn.sh"), cairn], _home,
            new Dictionary<string, string?> { ["HOME"] = _home, ["PATH"] = path });

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cairn.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Cairn.slnx above {AppContext.BaseDirectory}");
    }
}
