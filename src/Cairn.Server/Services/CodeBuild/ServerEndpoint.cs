using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.CodeBuild;

/// <summary>
/// The URL builds and log links use to reach this server: CodeBuildOptions.Endpoint when set, else the address Kestrel
/// bound (a wildcard address becomes 127.0.0.1). Null before the server listens (service-level tests).
/// </summary>
internal sealed class ServerEndpoint(IServiceProvider services, CodeBuildOptions options) : IBuildEndpoint
{
    private string? _url;

    public string? Url => _url ??= options.Endpoint?.TrimEnd('/') ?? Bound();

    private string? Bound()
    {
        var address = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address?
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
            .Replace("//localhost", "//127.0.0.1", StringComparison.Ordinal)
            .TrimEnd('/');
    }
}
