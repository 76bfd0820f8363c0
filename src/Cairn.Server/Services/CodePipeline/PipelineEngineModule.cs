using Cairn.Application.Pipelines.Executions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>
/// The pipeline engine: <see cref="PipelineEngine"/> (also the <see cref="IPipelineExecutions"/> triggers start executions
/// through), the API's <see cref="PipelineExecutionService"/>, and the host that resumes executions on start. Action
/// runners are registered by their own modules as <c>IPipelineActionRunner</c>; with none, only Manual approvals run.
/// </summary>
internal static class PipelineEngineModule
{
    public static IServiceCollection AddPipelineEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(new PipelineEngineOptions());
        services.AddSingleton<PipelineRoleSessions>();
        services.AddSingleton<PipelineEngine>();
        services.AddSingleton<IPipelineExecutions>(provider => provider.GetRequiredService<PipelineEngine>());
        services.AddSingleton<PipelineExecutionService>();
        services.AddHostedService<PipelineEngineHost>();
        return services;
    }
}

/// <summary>
/// Whether this server resumes the executions a previous run left in progress. A process that shares the data directory
/// with a <c>cairn serve</c> (<c>cairn build</c>'s in-process server) must not: they are the serving process's to run.
/// </summary>
public sealed record PipelineEngineOptions(bool RunsPipelines = true);

/// <summary>Resumes the executions a previous run left in progress when the server starts; stops the engine (leaving them resumable) when it stops.</summary>
internal sealed class PipelineEngineHost(PipelineEngine engine, PipelineEngineOptions options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => options.RunsPipelines ? engine.ResumeAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => engine.DisposeAsync().AsTask();
}
