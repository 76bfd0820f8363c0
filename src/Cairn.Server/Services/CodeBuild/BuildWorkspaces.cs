using Cairn.Core.Builds;
using Cairn.Server.Hosting;

namespace Cairn.Server.Services.CodeBuild;

/// <summary>
/// The builds' working directories on the server: &lt;builds&gt;/&lt;uuid&gt; holds a running build's source, home, tools
/// and container files (deleted as it ends), &lt;builds&gt;/_cache/&lt;account&gt;/&lt;region&gt;/&lt;project&gt; a project's
/// cache. Build logs are the log store's, not these.
/// </summary>
internal sealed class BuildWorkspaces
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public BuildWorkspaces(CairnServerOptions server, CodeBuildOptions options)
    {
        Root = Path.GetFullPath(options.BuildsDirectory ?? Path.Combine(server.DataDirectory, "builds"));
        Directory.CreateDirectory(Root, OwnerOnly);
    }

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
