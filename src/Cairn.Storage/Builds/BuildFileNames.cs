namespace Cairn.Storage.Builds;

/// <summary>What every <see cref="IBuildFileStore"/> checks and walks alike: build uuids, and the regular files of a directory.</summary>
public static class BuildFileNames
{
    // Links (reparse points) are skipped, so neither a linked file nor anything under a linked directory is listed.
    private static readonly EnumerationOptions RegularFileWalk = new()
    {
        RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint, MatchType = MatchType.Simple,
    };

    /// <summary>Uuids come from requests: never let one name a path or a key outside its build.</summary>
    public static string CheckUuid(string uuid) =>
        Guid.TryParseExact(uuid, "D", out _) ? uuid : throw new ArgumentException($"'{uuid}' is not a build uuid.", nameof(uuid));

    /// <summary>
    /// The regular files under <paramref name="directory"/>, by path relative to it ('/'-separated) in ordinal order; no
    /// symbolic link is followed or listed, and a directory that is missing or is itself a link has none.
    /// </summary>
    public static IEnumerable<(string Path, FileInfo File)> RegularFiles(string directory)
    {
        var root = new DirectoryInfo(directory);
        if (!root.Exists || root.LinkTarget is not null)
        {
            return [];
        }

        return root.EnumerateFiles("*", RegularFileWalk)
            .Select(file => (Path.GetRelativePath(root.FullName, file.FullName).Replace(Path.DirectorySeparatorChar, '/'), file))
            .OrderBy(file => file.Item1, StringComparer.Ordinal);
    }
}
