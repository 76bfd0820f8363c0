using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.Builds;

namespace Cairn.Application.Builds;

/// <summary>
/// What a build kept beside its record, read as a caller may read the build (codebuild:BatchGetBuilds on its project,
/// through <see cref="BuildService.FindBuildAsync"/>): the buildspec it ran and the artifact files its UPLOAD_ARTIFACTS
/// packaged, from the build file store (<see cref="IBuildFileStore"/>: on PostgreSQL every server reads every build's).
/// The build page's one read.
/// </summary>
public sealed class BuildFileService(BuildService builds, IBuildFileStore files)
{
    /// <summary>A buildspec larger than this is not shown (CodeBuild's inline buildspec limit is 25,500 characters; a source's file may be larger).</summary>
    public const int MaxBuildspecBytes = 1024 * 1024;

    /// <summary>How many artifact files are listed at most.</summary>
    public const int MaxArtifactFiles = 1000;

    /// <summary>The build with its buildspec as run (null when it has none: queued, failed before reading it, or older than this), or null when there is no such build.</summary>
    public async Task<BuildFiles?> FindAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var build = await builds.FindBuildAsync(context, id, cancellationToken);
        if (build is null)
        {
            return null;
        }

        var buildspec = await files.FindBuildspecAsync(build.Uuid, MaxBuildspecBytes, cancellationToken) switch
        {
            null => null,
            { Text: { } text } => text,
            { Bytes: var bytes } => $"# The buildspec is {bytes:N0} bytes, more than the {MaxBuildspecBytes:N0} this page shows.",
        };
        return new BuildFiles(build, buildspec, await files.ListArtifactsAsync(build.Uuid, MaxArtifactFiles, cancellationToken));
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
        var opened = await files.OpenArtifactAsync(build.Uuid, relative, cancellationToken) ?? throw ArtifactNotFound(relative, build.Id);
        return new BuildArtifactDownload(build, relative, opened.Size, opened.Content);
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
}

/// <summary>A build and what it kept: the buildspec text it ran (before its variables were resolved) and its artifact files.</summary>
public sealed record BuildFiles(BuildRecord Build, string? Buildspec, IReadOnlyList<BuildArtifactFile> Artifacts);

/// <summary>An artifact file opened for download; the caller disposes <see cref="Content"/>.</summary>
public sealed record BuildArtifactDownload(BuildRecord Build, string Path, long Size, Stream Content);
