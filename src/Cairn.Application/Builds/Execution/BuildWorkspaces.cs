using Cairn.Core.Builds;
using Cairn.Storage.Builds;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// The builds' working directories on the server: &lt;builds&gt;/&lt;uuid&gt; holds a running build's source, home, tools
/// and container files (deleted as it ends) and its packaged artifacts (<c>artifacts/</c>, where UPLOAD_ARTIFACTS packages
/// them and an agent's upload is extracted), &lt;builds&gt;/_cache/&lt;account&gt;/&lt;region&gt;/&lt;project&gt; a project's
/// cache. What a build keeps for its page (buildspec, artifacts) is the build file store's (IBuildFileStore): on files it
/// is this same place (FileBuildFileStore), so keeping the artifacts copies nothing. Build logs are the log store's.
/// </summary>
public sealed class BuildWorkspaces
{
    /// <summary>Where a build's UPLOAD_ARTIFACTS packages its artifacts, in its directory.</summary>
    public const string ArtifactsDirectory = "artifacts";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <param name="dataDirectory">The server's data directory (keys, database): builds never see it.</param>
    /// <param name="options">Where the builds directory is when not under the data directory.</param>
    public BuildWorkspaces(string dataDirectory, CodeBuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DataDirectory = Path.GetFullPath(dataDirectory);
        Root = Path.GetFullPath(options.BuildsDirectory ?? Path.Combine(DataDirectory, "builds"));
        Directory.CreateDirectory(Root, OwnerOnly);
    }

    /// <summary>The server's data directory with its keys and database: hidden from every build, like <see cref="Root"/>.</summary>
    public string DataDirectory { get; }

    /// <summary>The directory holding one subdirectory per build (and the caches): a build must never be given it.</summary>
    public string Root { get; }

    /// <summary>The build's directory; uuids come from requests, so one that is not a uuid is refused, never a path.</summary>
    public string DirectoryOf(string uuid) => Path.Combine(Root, BuildFileNames.CheckUuid(uuid));

    /// <summary>The build's directory, created owner-only when new.</summary>
    public string Create(string uuid)
    {
        var directory = DirectoryOf(uuid);
        Directory.CreateDirectory(directory, OwnerOnly);
        return directory;
    }

    /// <summary>The directory the build's artifacts were packaged into.</summary>
    public string ArtifactsOf(string uuid) => Path.Combine(DirectoryOf(uuid), ArtifactsDirectory);

    /// <summary>Where the project's builds keep their cache between builds.</summary>
    public string CacheOf(BuildScope scope, string projectName) => Path.Combine(Root, "_cache", scope.AccountId, scope.Region, projectName);

    /// <summary>Deletes whatever the build left in its directory.</summary>
    public void Delete(string uuid)
    {
        var directory = DirectoryOf(uuid);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
