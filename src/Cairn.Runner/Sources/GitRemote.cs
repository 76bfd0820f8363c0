using Cairn.Core.Connections;
using Cairn.Runner.Processes;

namespace Cairn.Runner.Sources;

/// <summary>
/// What change detection and the pipeline's source action ask of a git repository besides a clone (which is
/// <see cref="SourceFetcher"/>'s): the refs it has, a commit's details, and the files changed between two commits.
/// Never prompts for a password; a URL's credentials are never put in an error.
/// </summary>
public static class GitRemote
{
    private static readonly IReadOnlyDictionary<string, string?> Environment =
        new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0", ["GIT_ASKPASS"] = "/bin/true" };

    /// <summary>The repository's branches and tags (refs/heads/..., refs/tags/... with annotated tags peeled to their commit), or git's error.</summary>
    public static async Task<RemoteRefs> ListRefsAsync(string url, CancellationToken cancellationToken)
    {
        var result = await ToolProcess.RunAsync("git", ["ls-remote", "--heads", "--tags", "--", url], null, Environment, cancellationToken);
        if (!result.Succeeded)
        {
            return new RemoteRefs(new Dictionary<string, string>(), result.LastLine.Replace(url, RepositoryUrls.Redact(url), StringComparison.Ordinal));
        }

        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab != 40 || !line[..40].All(Uri.IsHexDigit))
            {
                continue;
            }

            var name = line[(tab + 1)..].Trim();
            if (name.EndsWith("^{}", StringComparison.Ordinal))
            {
                refs[name[..^3]] = line[..40];
            }
            else
            {
                refs.TryAdd(name, line[..40]);
            }
        }

        return new RemoteRefs(refs, null);
    }

    /// <summary>HEAD's commit in a clone: id, author date (ISO 8601) and full message.</summary>
    public static async Task<GitCommit?> HeadCommitAsync(string directory, CancellationToken cancellationToken)
    {
        var result = await ToolProcess.RunAsync("git", ["-C", directory, "log", "-1", "--format=%H%x00%aI%x00%B"], null, Environment, cancellationToken);
        var parts = result.Output.Split('\0', 3);
        return result.Succeeded && parts.Length == 3 ? new GitCommit(parts[0].Trim(), parts[1].Trim(), parts[2].TrimEnd()) : null;
    }

    /// <summary>
    /// The paths changed from <paramref name="from"/> to <paramref name="to"/> (both commits of <paramref name="url"/>); with
    /// no <paramref name="from"/>, or one the repository no longer has (a force push), the paths <paramref name="to"/> itself
    /// changed. Null when the commits cannot be fetched.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> ChangedPathsAsync(string url, string? from, string to, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("cairn-git-diff-").FullName;
        try
        {
            var init = await ToolProcess.RunAsync("git", ["init", "--quiet", "--bare", directory], null, Environment, cancellationToken);
            var fetch = init.Succeeded
                ? await ToolProcess.RunAsync(
                    "git", ["-C", directory, "fetch", "--quiet", "--filter=blob:none", "--", url, "+refs/heads/*:refs/remotes/r/*", "+refs/tags/*:refs/tags/*"],
                    null, Environment, cancellationToken)
                : init;
            if (!fetch.Succeeded)
            {
                return null;
            }

            var hasFrom = from is not null
                && (await ToolProcess.RunAsync("git", ["-C", directory, "cat-file", "-e", from + "^{commit}"], null, Environment, cancellationToken)).Succeeded;
            var diff = hasFrom
                ? await ToolProcess.RunAsync("git", ["-C", directory, "diff", "--no-renames", "--name-only", "-z", from!, to], null, Environment, cancellationToken)
                : await ToolProcess.RunAsync("git", ["-C", directory, "show", "--no-renames", "--name-only", "-z", "--format=", "--first-parent", "-m", to], null, Environment, cancellationToken);
            return diff.Succeeded ? diff.Output.Split(['\0', '\n'], StringSplitOptions.RemoveEmptyEntries) : null;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>A repository's refs by full name, or <see cref="Error"/> (git's last line) when it could not be listed.</summary>
public sealed record RemoteRefs(IReadOnlyDictionary<string, string> Refs, string? Error);

/// <summary>A commit: its id, author date as git prints it (ISO 8601), and its full message.</summary>
public sealed record GitCommit(string Id, string AuthorDate, string Message);
