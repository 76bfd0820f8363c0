using Cairn.Application.Builds.Execution;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Application.Builds;

/// <summary>
/// What a build kept beside its record, read as a caller may read the build (codebuild:BatchGetBuilds on its project,
/// through <see cref="BuildService.FindBuildAsync"/>): the buildspec it ran and the artifact files its UPLOAD_ARTIFACTS
/// packaged (&lt;builds&gt;/&lt;uuid&gt;/artifacts, where the server keeps them; a pipeline's outputs are archived from there
/// into the artifact store). The build page's one read.
/// </summary>
public sealed class BuildFileService(BuildService builds, BuildWorkspaces workspaces)
{
    /// <summary>A buildspec larger than this is not shown (CodeBuild's inline buildspec limit is 25,500 characters; a source's file may be larger).</summary>
    public const int MaxBuildspecBytes = 1024 * 1024;

    /// <summary>How many artifact files are listed at most.</summary>
    public const int MaxArtifactFiles = 1000;

    private static readonly EnumerationOptions ArtifactWalk = new()
    {
        RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint, MatchType = MatchType.Simple,
    };

    /// <summary>The build with its buildspec as run (null when it has none: queued, failed before reading it, or older than this), or null when there is no such build.</summary>
    public async Task<BuildFiles?> FindAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var build = await builds.FindBuildAsync(context, id, cancellationToken);
        if (build is null)
        {
            return null;
        }

        return new BuildFiles(build, await ReadBuildspecAsync(build.Uuid, cancellationToken), ListArtifacts(build.Uuid));
    }

    /// <summary>
    /// One artifact file of the build to download. <paramref name="path"/> is as <see cref="BuildFiles.Artifacts"/> lists
    /// it: relative, '/'-separated; '..', '.', empty segments, a leading '/' and backslashes are InvalidInputException,
    /// and no symbolic link is followed. The caller disposes the stream.
    /// </summary>
    public async Task<BuildArtifactDownload> OpenArtifactAsync(RequestContext context, string id, string? path, CancellationToken cancellationToken)
    {
        var relative = CheckArtifactPath(path);
        var build = await builds.FindBuildAsync(context, id, cancellationToken) ?? throw AwsErrors.BuildNotFound(id);
        var root = Path.GetFullPath(workspaces.ArtifactsOf(build.Uuid));
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw InvalidArtifactPath(relative);
        }

        // A link anywhere on the way could lead out of the artifacts (a build writes them): refuse it as not there.
        for (var step = full; step.Length >= root.Length; step = Path.GetDirectoryName(step)!)
        {
            FileSystemInfo entry = step == full ? new FileInfo(step) : new DirectoryInfo(step);
            if (entry.LinkTarget is not null)
            {
                throw ArtifactNotFound(relative, build.Id);
            }
        }

        var file = new FileInfo(full);
        if (!file.Exists)
        {
            throw ArtifactNotFound(relative, build.Id);
        }

        return new BuildArtifactDownload(build, relative, file.Length, file.OpenRead());
    }

    private static string CheckArtifactPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw AwsErrors.CodeBuildInvalidInput("Give the artifact's path, as the build page lists it: ?path=<file>.");
        }

        if (path.Length > 1024 || path[0] == '/' || path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal)
            || path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw InvalidArtifactPath(path);
        }

        return path;
    }

    private static AwsException InvalidArtifactPath(string path) => AwsErrors.CodeBuildInvalidInput(
        $"Invalid artifact path: {(path.Length > 100 ? path[..100] + "..." : path)}. Give a path as the build page lists it: relative to the build's artifacts, '/'-separated, without '..', '.', empty segments or a leading '/'.");

    private static AwsException ArtifactNotFound(string path, string buildId) =>
        new("ResourceNotFoundException", $"Artifact cannot be found: {path} in build {buildId}. The build page lists the artifacts the build uploaded.");

    private IReadOnlyList<BuildArtifactFile> ListArtifacts(string uuid)
    {
        var root = new DirectoryInfo(workspaces.ArtifactsOf(uuid));
        if (!root.Exists || root.LinkTarget is not null)
        {
            return [];
        }

        return [.. root.EnumerateFiles("*", ArtifactWalk).Take(MaxArtifactFiles)
            .Select(file => new BuildArtifactFile(Path.GetRelativePath(root.FullName, file.FullName), file.Length))
            .OrderBy(file => file.Path, StringComparer.Ordinal)];
    }

    private async Task<string?> ReadBuildspecAsync(string uuid, CancellationToken cancellationToken)
    {
        var file = new FileInfo(workspaces.BuildspecOf(uuid));
        if (!file.Exists || file.LinkTarget is not null)
        {
            return null;
        }

        return file.Length > MaxBuildspecBytes
            ? $"# The buildspec is {file.Length:N0} bytes, more than the {MaxBuildspecBytes:N0} this page shows."
            : await File.ReadAllTextAsync(file.FullName, cancellationToken);
    }
}

/// <summary>A build and what it kept: the buildspec text it ran (before its variables were resolved) and its artifact files.</summary>
public sealed record BuildFiles(BuildRecord Build, string? Buildspec, IReadOnlyList<BuildArtifactFile> Artifacts);

/// <summary>One packaged artifact file: its path relative to the build's artifacts ('/'-separated) and size in bytes.</summary>
public sealed record BuildArtifactFile(string Path, long Size);

/// <summary>An artifact file opened for download; the caller disposes <see cref="Content"/>.</summary>
public sealed record BuildArtifactDownload(BuildRecord Build, string Path, long Size, Stream Content);
