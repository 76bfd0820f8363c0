using Cairn.Runner.Processes;
using Cairn.Runner.Sources;

namespace Cairn.Runner.Tests.Sources;

public sealed class SourceFetcherTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-sources-").FullName;
    private readonly List<string> _log = [];

    private string Repository => Path.Combine(_root, "repo");

    private string Destination => Path.Combine(_root, "out");

    private async Task<string> GitAsync(params string[] arguments)
    {
        var result = await ToolProcess.RunAsync("git", ["-C", Repository, .. arguments], environment: new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "t", ["GIT_AUTHOR_EMAIL"] = "t@example.com", ["GIT_COMMITTER_NAME"] = "t", ["GIT_COMMITTER_EMAIL"] = "t@example.com",
        });
        Assert.True(result.Succeeded, result.Output);
        return result.Output.Trim();
    }

    /// <summary>A repository with main (app.txt "v1") and a branch "feature" (app.txt "v2"); returns main's commit.</summary>
    private async Task<string> MakeRepositoryAsync()
    {
        Directory.CreateDirectory(Repository);
        await GitAsync("init", "--quiet", "--initial-branch=main");
        await File.WriteAllTextAsync(Path.Combine(Repository, "app.txt"), "v1");
        await GitAsync("add", ".");
        await GitAsync("commit", "--quiet", "-m", "one");
        var main = await GitAsync("rev-parse", "HEAD");
        await GitAsync("checkout", "--quiet", "-b", "feature");
        await File.WriteAllTextAsync(Path.Combine(Repository, "app.txt"), "v2");
        await GitAsync("commit", "--quiet", "-am", "two");
        await GitAsync("checkout", "--quiet", "main");
        return main;
    }

    private Task<FetchedSource> FetchAsync(string type, string? location, string? version = null) =>
        SourceFetcher.FetchAsync(new SourceRequest(type, location, version), Destination, _log.Add, CancellationToken.None);

    [Fact]
    public async Task A_git_source_is_cloned_at_the_default_branch_with_its_commit()
    {
        var main = await MakeRepositoryAsync();

        var fetched = await FetchAsync("GITHUB", "file://" + Repository);

        Assert.Equal("v1", await File.ReadAllTextAsync(Path.Combine(Destination, "app.txt")));
        Assert.Equal(main, fetched.ResolvedVersion);
        Assert.Equal("file://" + Repository, fetched.RepositoryUrl);
    }

    [Theory]
    [InlineData("feature")]
    [InlineData("refs/heads/feature")]
    public async Task A_git_source_is_checked_out_at_a_branch_or_ref(string version)
    {
        await MakeRepositoryAsync();

        await FetchAsync("CODECOMMIT", "file://" + Repository, version);

        Assert.Equal("v2", await File.ReadAllTextAsync(Path.Combine(Destination, "app.txt")));
    }

    [Fact]
    public async Task A_git_source_is_checked_out_at_a_commit()
    {
        var main = await MakeRepositoryAsync();

        var fetched = await FetchAsync("BITBUCKET", "file://" + Repository, main);

        Assert.Equal(main, fetched.ResolvedVersion);
    }

    [Fact]
    public async Task A_missing_version_fails_with_codebuilds_reference_not_found()
    {
        await MakeRepositoryAsync();

        var error = await Assert.ThrowsAsync<SourceFetchException>(() => FetchAsync("GITLAB", "file://" + Repository, "no-such-branch"));

        Assert.Equal("reference not found for primary source and source version no-such-branch", error.Message);
        Assert.Contains("git ls-remote", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_repository_fails_with_codebuilds_repository_not_found()
    {
        var error = await Assert.ThrowsAsync<SourceFetchException>(() => FetchAsync("GITHUB", "file://" + Path.Combine(_root, "nothing")));

        Assert.Equal("repository not found for primary source and source version the default branch", error.Message);
        Assert.NotEmpty(_log);
    }

    [Fact]
    public async Task A_directory_source_is_copied_as_it_is_with_uncommitted_files_and_modes()
    {
        await MakeRepositoryAsync();
        var script = Path.Combine(Repository, "run.sh");
        await File.WriteAllTextAsync(script, "echo hi");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var fetched = await FetchAsync("GITHUB", Repository, "feature");

        Assert.True(File.Exists(Path.Combine(Destination, "run.sh")));
        Assert.True(File.GetUnixFileMode(Path.Combine(Destination, "run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("v1", await File.ReadAllTextAsync(Path.Combine(Destination, "app.txt")));
        Assert.NotNull(fetched.ResolvedVersion);
        Assert.Contains(_log, line => line.Contains("is ignored for a directory source", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_source_is_an_empty_directory_and_S3_is_refused_with_a_fix()
    {
        var none = await FetchAsync("NO_SOURCE", null);
        Assert.Empty(Directory.EnumerateFileSystemEntries(none.Directory));
        Directory.Delete(Destination);

        var error = await Assert.ThrowsAsync<SourceFetchException>(() => FetchAsync("S3", "bucket/key.zip"));

        Assert.Contains("cannot fetch S3", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
