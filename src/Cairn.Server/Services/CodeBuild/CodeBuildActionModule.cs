using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Actions.CodeBuild;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.CodeBuild;

internal static class CodeBuildActionModule
{
    /// <summary>The pipeline's Build and Test actions of provider CodeBuild, linking each build to this server's live log of it.</summary>
    public static IServiceCollection AddCodeBuildActions(this IServiceCollection services)
    {
        services.AddSingleton<IPipelineActionRunner>(provider =>
        {
            var endpoint = provider.GetRequiredService<ServerEndpoint>();
            return new CodeBuildActionRunner(
                provider.GetRequiredService<BuildService>(),
                provider.GetRequiredService<BuildQueue>(),
                new CodeBuildActionSettings(id => endpoint.Url is { } url ? $"{url}/_cairn/builds/{Uri.EscapeDataString(id)}/log" : null));
        });
        return services;
    }
}
