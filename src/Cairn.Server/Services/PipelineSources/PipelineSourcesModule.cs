using Cairn.Application.Connections;
using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Actions.Source;
using Cairn.Server.Aws;
using Cairn.Server.Services.CodeConnections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cairn.Server.Services.PipelineSources;

internal static class PipelineSourcesModule
{
    /// <summary>
    /// Pipelines' git sources: the connections API (CodeStar connections and CodeConnections over the registered
    /// ICodeConnectionStore), the Source/CodeStarSourceConnection action runner, change detection (a hosted poller, which
    /// needs the engine's IPipelineExecutions) and the push hook endpoint. After AddCodeBuild: local repositories obey its source roots.
    /// </summary>
    public static IServiceCollection AddPipelineSources(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => SourcePollingOptions.FromEnvironment(Environment.GetEnvironmentVariable));
        services.AddSingleton<IRepositoryLocationPolicy, SourceRootLocationPolicy>();
        services.AddSingleton<ConnectionService>();
        services.AddSingleton<ConnectionRepositories>();
        services.AddSingleton<IJsonService>(provider => CodeConnectionsService.CodeStar(provider.GetRequiredService<ConnectionService>()));
        services.AddSingleton<IJsonService>(provider => CodeConnectionsService.CodeConnections(provider.GetRequiredService<ConnectionService>()));

        services.AddSingleton<IPipelineActionRunner, CodeStarSourceActionRunner>();
        services.AddSingleton<SourceChangeDetector>();
        services.AddSingleton<SourcePollingService>();
        services.AddHostedService(provider => provider.GetRequiredService<SourcePollingService>());
        services.AddSingleton<GitHookEndpoint>();
        services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, GitHookEndpointFilter>();
        return services;
    }
}
