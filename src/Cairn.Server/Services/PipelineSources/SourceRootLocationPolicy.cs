using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Application.Connections;
using Cairn.Server.Hosting;
using Cairn.Server.Services.CodeBuild;

namespace Cairn.Server.Services.PipelineSources;

/// <summary>A pipeline's local repositories (a host endpoint of file:///dir or /dir) obey CodeBuild's source roots: the same <see cref="SourceLocations"/> rule.</summary>
internal sealed class SourceRootLocationPolicy(CodeBuildOptions builds, CairnServerOptions server, BuildWorkspaces workspaces) : IRepositoryLocationPolicy
{
    public async Task<string?> RefusalAsync(string location, CancellationToken cancellationToken)
    {
        var forbidden = new[] { Path.GetFullPath(server.DataDirectory), workspaces.Root };
        return await SourceLocations.CheckAsync("GITHUB", location, builds.SourceRoots, forbidden, cancellationToken) is { } refused
            ? $"{refused.Message}; {refused.Hint}"
            : null;
    }
}
