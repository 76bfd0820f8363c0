using Cairn.Application.Pipelines.Artifacts;
using Cairn.Application.Pipelines.Executions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>
/// The pipeline engine: <see cref="PipelineEngine"/> (also the <see cref="IPipelineExecutions"/> triggers start executions
/// through), the API's <see cref="PipelineExecutionService"/>, the host that resumes executions on start, and the
/// <see cref="PipelineArtifactSweep"/> (with the server's --pipeline-artifact-retention-days). Action
/// runners are registered by their own modules as <c>IPipelineActionRunner</c>; with none, only Manual approvals run.
/// </summary>
internal static class PipelineEngineModule
{
    public static IServiceCollection AddPipelineEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => new PipelineEngineOptions(
            ArtifactRetention: provider.GetRequiredService<Hosting.CairnServerOptions>().PipelineArtifactRetention));
        services.AddSingleton<PipelineRoleSessions>();
        services.AddSingleton<PipelineEngine>();
        services.AddSingleton<IPipelineExecutions>(provider => provider.GetRequiredService<PipelineEngine>());
        services.AddSingleton<PipelineExecutionService>();
        services.AddHostedService<PipelineEngineHost>();
        services.AddSingleton<PipelineArtifactSweep>();
        services.AddHostedService(provider => provider.GetRequiredService<PipelineArtifactSweep>());
        return services;
    }
}

/// <summary>Resumes the executions a previous run left in progress when the server starts; stops the engine (leaving them resumable) when it stops.</summary>
internal sealed class PipelineEngineHost(PipelineEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => engine.RunsPipelines ? engine.ResumeAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => engine.DisposeAsync().AsTask();
}
