namespace Cairn.Cli.Builds;

/// <summary>The source tree's git branch and commit, read from .git without running git (CODEBUILD_SOURCE_VERSION and CODEBUILD_RESOLVED_SOURCE_VERSION).</summary>
internal static class GitRevision
{
    public static (string? Reference, string? Commit) Read(string sourceDirectory)
    {
        try
        {
            var gitDirectory = Path.Combine(sourceDirectory, ".git");
            if (File.Exists(gitDirectory))
            {
                // A worktree or submodule: ".git" is a file saying "gitdir: <path>".
                var pointer = File.ReadAllText(gitDirectory).Trim();
                if (!pointer.StartsWith("gitdir:", StringComparison.Ordinal))
                {
                    return (null, null);
                }

                gitDirectory = Path.GetFullPath(Path.Combine(sourceDirectory, pointer["gitdir:".Length..].Trim()));
            }

            var head = Path.Combine(gitDirectory, "HEAD");
            if (!File.Exists(head))
            {
                return (null, null);
            }

            var text = File.ReadAllText(head).Trim();
            if (!text.StartsWith("ref:", StringComparison.Ordinal))
            {
                return (text, text);
            }

            var reference = text["ref:".Length..].Trim();
            return (reference, Resolve(gitDirectory, reference));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }
    }

    private static string? Resolve(string gitDirectory, string reference)
    {
        // Worktrees keep refs in the common directory named by "commondir".
        var common = File.Exists(Path.Combine(gitDirectory, "commondir"))
            ? Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(Path.Combine(gitDirectory, "commondir")).Trim()))
            : gitDirectory;
        foreach (var directory in new[] { gitDirectory, common })
        {
            var loose = Path.Combine(directory, reference);
            if (File.Exists(loose))
            {
                return File.ReadAllText(loose).Trim();
            }

            var packed = Path.Combine(directory, "packed-refs");
            if (File.Exists(packed))
            {
                var line = File.ReadLines(packed).FirstOrDefault(l => l.EndsWith(" " + reference, StringComparison.Ordinal));
                if (line is not null)
                {
                    return line[..line.IndexOf(' ', StringComparison.Ordinal)];
                }
            }
        }

        return null;
    }
}
