using Cairn.Storage.Builds;

namespace Cairn.Storage.Files;

/// <summary>
/// What builds kept, as files of this server's builds directory: &lt;root&gt;/&lt;uuid&gt;/buildspec.yml and
/// &lt;root&gt;/&lt;uuid&gt;/artifacts/, the place the server's builds package into and agents' uploads are extracted to
/// (Application's BuildWorkspaces.ArtifactsOf), so keeping those artifacts copies nothing. Owner-only, like the builds
/// directory. A server on SQLite shows the builds it ran; servers that share builds use the PostgreSQL store instead.
/// </summary>
public sealed class FileBuildFileStore : IBuildFileStore
{
    /// <summary>The buildspec's file in the build's directory.</summary>
    public const string BuildspecFile = "buildspec.yml";

    /// <summary>The artifacts' directory in the build's directory.</summary>
    public const string ArtifactsDirectory = "artifacts";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public FileBuildFileStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root, OwnerOnly);
    }

    /// <summary>The builds directory: one subdirectory per build.</summary>
    public string Root { get; }

    /// <summary>Where the build's artifacts are kept.</summary>
    public string ArtifactsOf(string uuid) => Path.Combine(Root, BuildFileNames.CheckUuid(uuid), ArtifactsDirectory);

    public async Task SaveBuildspecAsync(string uuid, string text, CancellationToken cancellationToken)
    {
        var path = BuildspecOf(uuid);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!, OwnerOnly);
        await using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, Options = FileOptions.Asynchronous,
        });
        await using var writer = new StreamWriter(file);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }

    public async Task<KeptBuildspec?> FindBuildspecAsync(string uuid, int maxBytes, CancellationToken cancellationToken)
    {
        var file = new FileInfo(BuildspecOf(uuid));
        if (!file.Exists || file.LinkTarget is not null)
        {
            return null;
        }

        return new KeptBuildspec(file.Length, file.Length > maxBytes ? null : await File.ReadAllTextAsync(file.FullName, cancellationToken));
    }

    public async Task<bool> KeepArtifactsAsync(string uuid, string directory, CancellationToken cancellationToken)
    {
        var target = ArtifactsOf(uuid);
        if (Path.GetFullPath(directory) == target)
        {
            return true;
        }

        // From elsewhere: copied beside the place, then moved into it, so a reader sees the old set or the new one.
        var partial = target + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Directory.CreateDirectory(partial, OwnerOnly);
            foreach (var (path, file) in BuildFileNames.RegularFiles(directory))
            {
                var copy = Path.Combine(partial, path);
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!, OwnerOnly);
                await using var input = file.OpenRead();
                await using var output = new FileStream(copy, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, Options = FileOptions.Asynchronous,
                });
                await input.CopyToAsync(output, cancellationToken);
            }

            Delete(target);
            Directory.Move(partial, target);
            return false;
        }
        finally
        {
            Delete(partial);
        }
    }

    public Task<IReadOnlyList<BuildArtifactFile>> ListArtifactsAsync(string uuid, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BuildArtifactFile>>(
            [.. BuildFileNames.RegularFiles(ArtifactsOf(uuid)).Take(max).Select(file => new BuildArtifactFile(file.Path, file.File.Length))]);

    public Task<BuildArtifactStream?> OpenArtifactAsync(string uuid, string path, CancellationToken cancellationToken)
    {
        var root = ArtifactsOf(uuid);
        var full = Path.GetFullPath(Path.Combine(root, path));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return Task.FromResult<BuildArtifactStream?>(null);
        }

        // A link anywhere on the way could lead out of the artifacts (a build writes them): it is not there.
        for (var step = full; step.Length >= root.Length; step = Path.GetDirectoryName(step)!)
        {
            FileSystemInfo entry = step == full ? new FileInfo(step) : new DirectoryInfo(step);
            if (entry.LinkTarget is not null)
            {
                return Task.FromResult<BuildArtifactStream?>(null);
            }
        }

        var file = new FileInfo(full);
        return Task.FromResult(file.Exists ? new BuildArtifactStream(file.Length, file.OpenRead()) : null);
    }

    public Task DeleteAsync(string uuid, CancellationToken cancellationToken)
    {
        var buildspec = BuildspecOf(uuid);
        if (File.Exists(buildspec))
        {
            File.Delete(buildspec);
        }

        Delete(ArtifactsOf(uuid));
        return Task.CompletedTask;
    }

    private string BuildspecOf(string uuid) => Path.Combine(Root, BuildFileNames.CheckUuid(uuid), BuildspecFile);

    private static void Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
