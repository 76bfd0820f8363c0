using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Actions.Deploy;
using Cairn.Storage.Artifacts;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.CodePipeline;

internal static class DeployActionsModule
{
    /// <summary>The deploy actions' runners: Deploy/AWS/ECS/1 onto Docker Swarm and Deploy/AWS/EKS/1 onto Kubernetes, reading clusters and registry logins as the pipeline's role.</summary>
    public static IServiceCollection AddDeployActions(this IServiceCollection services)
    {
        services.AddSingleton<RoleParameterReader>();
        // IArtifactStore is the pipeline's artifact store, registered by the artifact store's own module.
        services.AddSingleton(provider => new SwarmDeployRunner(
            provider.GetRequiredService<IArtifactStore>(), provider.GetRequiredService<RoleParameterReader>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IPipelineActionRunner>(provider => provider.GetRequiredService<SwarmDeployRunner>());
        services.AddSingleton(provider => new EksDeployRunner(
            provider.GetRequiredService<IArtifactStore>(), provider.GetRequiredService<RoleParameterReader>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IPipelineActionRunner>(provider => provider.GetRequiredService<EksDeployRunner>());
        return services;
    }
}
