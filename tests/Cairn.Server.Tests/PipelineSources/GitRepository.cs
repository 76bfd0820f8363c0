using Cairn.Runner.Processes;

namespace Cairn.Server.Tests.PipelineSources;

/// <summary>A real bare repository (what a connection's host serves) and a working clone to commit and push from.</summary>
internal sealed class GitRepository
{
    private static readonly Dictionary<string, string?> Identity = new()
    {
        ["GIT_AUTHOR_NAME"] = "Dev", ["GIT_AUTHOR_EMAIL"] = "dev@example.com", ["GIT_COMMITTER_NAME"] = "Dev", ["GIT_COMMITTER_EMAIL"] = "dev@example.com",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    private GitRepository(string bare, string work)
    {
        Bare = bare;
        Work = work;
    }

    public string Bare { get; }

    public string Work { get; }

    /// <summary>A bare repository at <paramref name="root"/>/<paramref name="fullRepositoryId"/> with one commit on main.</summary>
    public static async Task<GitRepository> CreateAsync(string root, string fullRepositoryId, string workRoot)
    {
        var bare = Path.Combine(root, fullRepositoryId);
        var work = Path.Combine(workRoot, "work-" + Guid.NewGuid().ToString("N")[..8]);
        await RunAsync(root, "init", "--quiet", "--bare", "--initial-branch=main", bare);
        await RunAsync(root, "init", "--quiet", "--initial-branch=main", work);
        await RunAsync(work, "remote", "add", "origin", bare);
        var repository = new GitRepository(bare, work);
        await repository.CommitAsync("first commit", ("README.md", "hello\n"), ("src/app.py", "print('v1')\n"));
        return repository;
    }

    /// <summary>Writes the files, commits them on the current branch and pushes it; the new commit's id.</summary>
    public async Task<string> CommitAsync(string message, params (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(Work, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, text);
        }

        await RunAsync(Work, "add", "-A");
        await RunAsync(Work, "commit", "--quiet", "-m", message);
        await RunAsync(Work, "push", "--quiet", "origin", "HEAD");
        return await HeadAsync();
    }

    public async Task<string> HeadAsync() => (await RunAsync(Work, "rev-parse", "HEAD")).Trim();

    public Task BranchAsync(string name) => RunAsync(Work, "checkout", "--quiet", "-B", name);

    public async Task TagAsync(string name)
    {
        await RunAsync(Work, "tag", "-a", name, "-m", name);
        await RunAsync(Work, "push", "--quiet", "origin", name);
    }

    private static async Task<string> RunAsync(string directory, params string[] arguments)
    {
        var result = await ToolProcess.RunAsync("git", ["-C", directory, .. arguments], null, Identity);
        return result.Succeeded ? result.Output : throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {result.Output}");
    }
}
