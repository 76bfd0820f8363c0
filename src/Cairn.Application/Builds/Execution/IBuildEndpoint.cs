namespace Cairn.Application.Builds.Execution;

/// <summary>
/// The URL a build's `aws` commands and log links use to reach Cairn: the host that runs the build knows it (the
/// server's bound address, or CodeBuildOptions.Endpoint). Null when there is none yet (service-level tests): builds
/// then call `aws` unchanged.
/// </summary>
public interface IBuildEndpoint
{
    string? Url { get; }
}
