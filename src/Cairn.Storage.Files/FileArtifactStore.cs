using Cairn.Core.Archives;
using Cairn.Storage.Artifacts;

namespace Cairn.Storage.Files;

/// <summary>
/// Pipeline artifacts on local disk: &lt;root&gt;/&lt;store&gt;/&lt;key&gt;, each a gzipped tar (<see cref="TarArchives"/>)
/// that keeps unix modes, symlinks and empty directories. A new archive is written beside its place and moved into it,
/// so a reader never sees half an archive. Store and key names are checked (<see cref="ArtifactNames"/>) so none can leave the root.
/// </summary>
public sealed class FileArtifactStore : IArtifactStore
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
        ArtifactNames.CheckStore(store);
        var key = ArtifactNames.NewKey(keyPrefix);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"cannot store '{directory}' as an artifact: it is not a directory.");
        }

        var location = new ArtifactLocation(store, key);
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
        ArtifactNames.CheckStore(store);
        ArtifactNames.CheckDeletePrefix(keyPrefix);

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

    public Task<IReadOnlyList<ArtifactExecution>> ListExecutionsAsync(CancellationToken cancellationToken)
    {
        var executions = new List<ArtifactExecution>();
        foreach (var store in Directory.EnumerateDirectories(Root))
        {
            foreach (var pipeline in Directory.EnumerateDirectories(store))
            {
                foreach (var execution in Directory.EnumerateDirectories(pipeline))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (Directory.EnumerateFiles(execution, "*", SearchOption.AllDirectories).Any())
                    {
                        executions.Add(new ArtifactExecution(Path.GetFileName(store), Path.GetFileName(pipeline), Path.GetFileName(execution)));
                    }
                }
            }
        }

        return Task.FromResult<IReadOnlyList<ArtifactExecution>>(executions);
    }

    private string PathOf(ArtifactLocation location)
    {
        ArtifactNames.Check(location);
        return Path.Combine(Root, location.Store, location.Key);
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
}
