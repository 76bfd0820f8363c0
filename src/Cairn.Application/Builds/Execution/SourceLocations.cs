using System.Text.RegularExpressions;
using Cairn.Runner.Processes;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// Which host directories a build's source may come from. A directory path or a file:// git URL is read by the server
/// itself, so without a limit anyone who may start a build could copy any file the server can read into it: only the
/// configured source roots are allowed, never the server's data directory, and that directory is left out of a copy.
/// </summary>
public static partial class SourceLocations
{
    /// <summary>Null when the location may be fetched; otherwise CodeBuild's message and the fix.</summary>
    public static async Task<(string Message, string Hint)?> CheckAsync(
        string type, string? location, IReadOnlyList<string> roots, IReadOnlyList<string> forbidden, CancellationToken cancellationToken)
    {
        if (location is null || type is "NO_SOURCE" or "S3" or "CODEPIPELINE")
        {
            return null;
        }

        string local;
        if (location.StartsWith('/'))
        {
            local = location;
        }
        else if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeFile)
        {
            local = uri.LocalPath;
        }
        else if (location.Contains("::", StringComparison.Ordinal))
        {
            return ($"source location {location} uses a git remote helper, which Cairn does not allow", "use an https, ssh or git URL, or a directory under a source root.");
        }
        else if (RemoteUrl().IsMatch(location) || ScpLike().IsMatch(location))
        {
            return null;
        }
        else
        {
            return ($"source location {location} is neither a URL nor an absolute path", "use a git URL (https://, ssh://, git://, file:///...) or an absolute directory path.");
        }

        var real = await RealPathAsync(local, cancellationToken);
        if (forbidden.Select(Path.GetFullPath).Any(f => IsWithin(real, f)))
        {
            return ($"source location {location} is inside the Cairn server's data directory, which no build may read", "build from your project's directory or a git URL.");
        }

        var allowed = new List<string>();
        foreach (var root in roots)
        {
            allowed.Add(await RealPathAsync(root, cancellationToken));
        }

        if (allowed.Any(root => IsWithin(real, root)))
        {
            return null;
        }

        var list = allowed.Count == 0 ? "none are configured" : "they are: " + string.Join(", ", allowed);
        return ($"source location {location} is outside the directories this Cairn server builds from ({list})",
            "a build's source is read by the server, so host directories must be allowed explicitly: start the server with "
            + "`cairn serve --source-root DIR` (or CAIRN_SOURCE_ROOTS=DIR1:DIR2), or use a git URL the server can clone.");
    }

    private static bool IsWithin(string path, string root)
    {
        var trimmed = root.TrimEnd('/');
        return path == trimmed || path.StartsWith(trimmed + "/", StringComparison.Ordinal) || trimmed.Length == 0;
    }

    /// <summary>The path with every symbolic link resolved, so a link inside a source root cannot point outside it.</summary>
    private static async Task<string> RealPathAsync(string path, CancellationToken cancellationToken)
    {
        var result = await ToolProcess.RunAsync("realpath", ["-m", "--", Path.GetFullPath(path)], cancellationToken: cancellationToken);
        return result.Succeeded ? result.Output.Trim() : Path.GetFullPath(path);
    }

    [GeneratedRegex("^(https?|ssh|git|git\\+ssh|ssh\\+git)://", RegexOptions.IgnoreCase)]
    private static partial Regex RemoteUrl();

    /// <summary>git's scp-like syntax, [user@]host:path, where a colon comes before any slash.</summary>
    [GeneratedRegex("^[A-Za-z0-9._~-]+(@[A-Za-z0-9._~-]+)?:(?!//)")]
    private static partial Regex ScpLike();
}
