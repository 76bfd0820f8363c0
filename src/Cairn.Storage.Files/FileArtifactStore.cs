using System.Text.RegularExpressions;
using Cairn.Core.Archives;
using Cairn.Storage.Artifacts;

namespace Cairn.Storage.Files;

/// <summary>
/// Pipeline artifacts on local disk: &lt;root&gt;/&lt;store&gt;/&lt;key&gt;, each a gzipped tar (<see cref="TarArchives"/>)
/// that keeps unix modes, symlinks and empty directories. A new archive is written beside its place and moved into it,
/// so a reader never sees half an archive. Store and key names are checked so none can leave the root.
/// </summary>
public sealed partial class FileArtifactStore : IArtifactStore
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public FileArtifactStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root, OwnerOnly);
    }

    /// <summary>The directory holding one subdirectory per store.</summary>
    public string Root { get; }

    public async Task<ArtifactLocation> PutDirectoryAsync(string store, string keyPrefix, string directory, CancellationToken cancellationToken)
    {
        CheckStore(store);
        var prefix = CheckPrefix(keyPrefix);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"cannot store '{directory}' as an artifact: it is not a directory.");
        }

        var location = new ArtifactLocation(store, prefix + Guid.NewGuid().ToString("N") + ".tar.gz");
        var path = PathOf(location);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!, OwnerOnly);
        var partial = path + ".partial";
        try
        {
            await using (var file = new FileStream(partial, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, Options = FileOptions.Asynchronous }))
            {
                await TarArchives.WriteGzipAsync(directory, file, cancellationToken);
            }

            File.Move(partial, path);
        }
        finally
        {
            File.Delete(partial);
        }

        return location;
    }

    public async Task ExtractAsync(ArtifactLocation location, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        var path = PathOf(location);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the artifact {location.S3Arn} does not exist in the artifact store.", path);
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await TarArchives.ExtractGzipAsync(file, directory, cancellationToken);
    }

    public Task<bool> ExistsAsync(ArtifactLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        return Task.FromResult(File.Exists(PathOf(location)));
    }

    public Task DeletePrefixAsync(string store, string keyPrefix, CancellationToken cancellationToken)
    {
        CheckStore(store);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        if (keyPrefix.Length > 0)
        {
            CheckKey(keyPrefix.TrimEnd('/'), "key prefix");
        }

        var storeDirectory = Path.Combine(Root, store);
        // Start at the deepest directory the prefix names whole; a partial last segment is matched by name below it.
        var whole = keyPrefix.LastIndexOf('/') is var slash and >= 0 ? keyPrefix[..slash] : string.Empty;
        var start = whole.Length == 0 ? storeDirectory : Path.Combine(storeDirectory, whole);
        if (!Directory.Exists(start))
        {
            return Task.CompletedTask;
        }

        foreach (var file in Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Path.GetRelativePath(storeDirectory, file).Replace('\\', '/').StartsWith(keyPrefix, StringComparison.Ordinal))
            {
                File.Delete(file);
            }
        }

        RemoveEmptyDirectories(start, keep: storeDirectory);
        return Task.CompletedTask;
    }

    private string PathOf(ArtifactLocation location)
    {
        CheckStore(location.Store);
        CheckKey(location.Key, "key");
        return Path.Combine(Root, location.Store, location.Key);
    }

    /// <summary>An S3 bucket's rules, which every store name a pipeline can declare follows: no separator, nothing relative.</summary>
    private static void CheckStore(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!StoreName().IsMatch(store) || store.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{store}' is not a valid artifact store name: use 3 to 63 letters, digits, '.', '-' and '_', starting with a letter or digit.", nameof(store));
        }
    }

    private static string CheckPrefix(string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        var trimmed = keyPrefix.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        CheckKey(trimmed, "key prefix");
        return trimmed + "/";
    }

    /// <summary>Segments of safe characters, none empty, "." or "..": a key is always a path below its store.</summary>
    private static void CheckKey(string key, string what)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > 1024 || key.Split('/').Any(segment => !KeySegment().IsMatch(segment) || segment is "." or ".."))
        {
            throw new ArgumentException($"'{key}' is not a valid artifact {what}: use '/'-separated segments of letters, digits and . _ - = + @ , (no empty, '.' or '..' segment).", nameof(key));
        }
    }

    private static void RemoveEmptyDirectories(string directory, string keep)
    {
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            RemoveEmptyDirectories(child, keep);
        }

        if (!string.Equals(directory, keep, StringComparison.Ordinal) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{2,62}$")]
    private static partial Regex StoreName();

    [GeneratedRegex("^[A-Za-z0-9._=+@,-]{1,255}$")]
    private static partial Regex KeySegment();
}
