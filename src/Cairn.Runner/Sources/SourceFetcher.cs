using Cairn.Runner.Processes;

namespace Cairn.Runner.Sources;

/// <summary>
/// DOWNLOAD_SOURCE's fetching: NO_SOURCE makes an empty directory; a git-typed source (GITHUB, GITLAB, BITBUCKET,
/// CODECOMMIT, ...) is cloned from any URL git can clone and checked out at the source version; an absolute directory
/// path is copied as it is (uncommitted changes included), which is Cairn's extension for local work.
/// </summary>
public static class SourceFetcher
{
    /// <summary>Fetches <paramref name="source"/> into <paramref name="destination"/> (which must not exist yet).</summary>
    /// <param name="log">Receives one line per step, for the build log.</param>
    public static async Task<FetchedSource> FetchAsync(SourceRequest source, string destination, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(log);
        if (source.Type == "NO_SOURCE")
        {
            Directory.CreateDirectory(destination);
            return new FetchedSource(destination, null, null);
        }

        if (source.Type is "S3" or "CODEPIPELINE")
        {
            Directory.CreateDirectory(destination);
            throw new SourceFetchException(
                $"Cairn cannot fetch {source.Type} sources",
                "use a git repository (GITHUB, GITLAB, BITBUCKET or CODECOMMIT with any URL git can clone) or a local directory path as the source location.");
        }

        var location = source.Location ?? throw new SourceFetchException("no source location is set for primary source");
        if (location.StartsWith('/'))
        {
            return await CopyDirectoryAsync(location, source.Version, source.Excluded, destination, log, cancellationToken);
        }

        return await GitSource.CloneAsync(source, location, destination, log, cancellationToken);
    }

    private static async Task<FetchedSource> CopyDirectoryAsync(
        string location, string? version, IReadOnlyList<string> excluded, string destination, Action<string> log, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(location))
        {
            Directory.CreateDirectory(destination);
            throw new SourceFetchException(
                $"source directory {location} does not exist for primary source",
                "set the project's source location to an existing directory on the Cairn host, or to a git URL.");
        }

        log($"Copying source directory {location}");
        if (version is not null)
        {
            log($"[WARN] sourceVersion {version} is ignored for a directory source: the directory is built as it is");
        }

        Directory.CreateDirectory(destination);
        var root = Path.GetFullPath(location).TrimEnd('/');
        var exclusions = excluded.Select(e => Path.GetRelativePath(root, Path.GetFullPath(e)))
            .Where(relative => relative != "." && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
            .Select(relative => "--exclude=./" + relative)
            .ToList();
        var copy = exclusions.Count == 0
            ? await ToolProcess.RunAsync("cp", ["-a", "--", root + "/.", destination], cancellationToken: cancellationToken)
            : await ToolProcess.RunAsync("sh", ["-c", "src=$1; shift; tar -C \"$src\" \"$@\" -cf - . | tar -C \"$0\" -xpf -", destination, root, .. exclusions.Prepend("--anchored")],
                cancellationToken: cancellationToken);
        if (!copy.Succeeded)
        {
            throw new SourceFetchException($"could not copy source directory {location}: {copy.LastLine}");
        }

        var head = await ToolProcess.RunAsync("git", ["-C", destination, "rev-parse", "HEAD"], cancellationToken: cancellationToken);
        return new FetchedSource(destination, head.Succeeded ? head.Output.Trim() : null, location);
    }
}
