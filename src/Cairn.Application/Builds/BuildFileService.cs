using Cairn.Application.Builds.Execution;
using Cairn.Core.Builds;
using Cairn.Core.Identity;

namespace Cairn.Application.Builds;

/// <summary>
/// What a build kept beside its record, read as a caller may read the build (codebuild:BatchGetBuilds on its project,
/// through <see cref="BuildService.FindBuildAsync"/>): the buildspec it ran. The build page's one read.
/// </summary>
public sealed class BuildFileService(BuildService builds, BuildWorkspaces workspaces)
{
    /// <summary>A buildspec larger than this is not shown (CodeBuild's inline buildspec limit is 25,500 characters; a source's file may be larger).</summary>
    public const int MaxBuildspecBytes = 1024 * 1024;

    /// <summary>The build with its buildspec as run (null when it has none: queued, failed before reading it, or older than this), or null when there is no such build.</summary>
    public async Task<BuildFiles?> FindAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var build = await builds.FindBuildAsync(context, id, cancellationToken);
        if (build is null)
        {
            return null;
        }

        return new BuildFiles(build, await ReadBuildspecAsync(build.Uuid, cancellationToken));
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

/// <summary>A build and what it kept: the buildspec text it ran, before its variables were resolved.</summary>
public sealed record BuildFiles(BuildRecord Build, string? Buildspec);
