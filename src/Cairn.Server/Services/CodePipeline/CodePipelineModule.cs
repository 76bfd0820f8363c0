using Cairn.Application.Pipelines;
using Cairn.Server.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.CodePipeline;

internal static class CodePipelineModule
{
    /// <summary>CodePipeline over the registered IPipelineStore: the CodePipeline_20150709 service and the application's PipelineService.</summary>
    public static IServiceCollection AddCodePipeline(this IServiceCollection services)
    {
        services.AddSingleton<PipelineService>();
        services.AddSingleton<CodePipelineService>();
        services.AddSingleton<IJsonService>(provider => provider.GetRequiredService<CodePipelineService>());
        return services;
    }
}
