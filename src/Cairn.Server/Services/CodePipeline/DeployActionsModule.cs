using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Actions.Deploy;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.CodePipeline;

internal static class DeployActionsModule
{
    /// <summary>The deploy actions' runners: Deploy/AWS/ECS/1 onto Docker Swarm, reading clusters and registry logins as the pipeline's role.</summary>
    public static IServiceCollection AddDeployActions(this IServiceCollection services)
    {
        services.AddSingleton<RoleParameterReader>();
        services.AddSingleton<SwarmDeployRunner>(provider => ActivatorUtilities.CreateInstance<SwarmDeployRunner>(provider));
        services.AddSingleton<IPipelineActionRunner>(provider => provider.GetRequiredService<SwarmDeployRunner>());
        return services;
    }
}
