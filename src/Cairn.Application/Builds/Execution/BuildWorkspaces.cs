using Cairn.Core.Builds;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// The builds' working directories on the server: &lt;builds&gt;/&lt;uuid&gt; holds a running build's source, home, tools
/// and container files (deleted as it ends) and what is kept of it (the buildspec as run, <c>buildspec.yml</c>; the
/// packaged artifacts, <c>artifacts/</c>), &lt;builds&gt;/_cache/&lt;account&gt;/&lt;region&gt;/&lt;project&gt; a project's
/// cache. Build logs are the log store's, not these.
/// </summary>
public sealed class BuildWorkspaces
{
    /// <summary>The buildspec text a build ran (after overrides, before its variables were resolved), in its directory.</summary>
    public const string BuildspecFile = "buildspec.yml";

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

    public string DirectoryOf(string uuid) => Path.Combine(Root, CheckUuid(uuid));

    /// <summary>The build's directory, created owner-only when new.</summary>
    public string Create(string uuid)
    {
        var directory = DirectoryOf(uuid);
        Directory.CreateDirectory(directory, OwnerOnly);
        return directory;
    }

    /// <summary>The buildspec the build ran, as <see cref="SaveBuildspec"/> kept it.</summary>
    public string BuildspecOf(string uuid) => Path.Combine(DirectoryOf(uuid), BuildspecFile);

    /// <summary>The directory the build's artifacts were packaged into.</summary>
    public string ArtifactsOf(string uuid) => Path.Combine(DirectoryOf(uuid), ArtifactsDirectory);

    /// <summary>
    /// Keeps the buildspec text the build runs, owner-only, for the build's page. It is the text as written (inline,
    /// override or the source's file): variables are resolved later, in the executor, so no secret value is in it.
    /// </summary>
    public void SaveBuildspec(string uuid, string text)
    {
        var path = BuildspecOf(uuid);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!, OwnerOnly);
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(file);
        writer.Write(text);
    }

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

    /// <summary>Uuids come from requests: never let one name a path outside the builds directory.</summary>
    private static string CheckUuid(string uuid) =>
        Guid.TryParseExact(uuid, "D", out _) ? uuid : throw new ArgumentException($"'{uuid}' is not a build uuid.", nameof(uuid));
}
