using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Application.Builds.Queue;
using Cairn.Runner.Builds;
using Cairn.Server.Aws;
using Cairn.Server.Services.CodeBuild.Logs;
using Cairn.Server.Services.CodeBuild.Queue;
using Cairn.Storage.Artifacts;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Cairn.Storage.Files;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cairn.Server.Services.CodeBuild;

internal static class CodeBuildModule
{
    /// <summary>CodeBuild over the registered IBuildStore: the CodeBuild_20161006 service, the build queue and its workers, and CloudWatch Logs over the build logs.</summary>
    public static IServiceCollection AddCodeBuild(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => CodeBuildOptions.FromEnvironment(Environment.GetEnvironmentVariable));
        services.AddSingleton<ServerEndpoint>();
        services.AddSingleton<IBuildEndpoint>(provider => provider.GetRequiredService<ServerEndpoint>());
        services.AddSingleton<BuildQueue>();
        services.AddSingleton<BuildService>();
        services.AddSingleton<BuildFileService>();
        services.AddSingleton<Application.Builds.Reports.ReportService>();
        services.AddSingleton<Application.Builds.Reports.BuildReportRecorder>();
        services.AddSingleton<Application.Builds.Logs.BuildLogService>();
        services.AddSingleton(provider => new BuildWorkspaces(
            provider.GetRequiredService<Hosting.CairnServerOptions>().DataDirectory, provider.GetRequiredService<CodeBuildOptions>()));
        services.TryAddSingleton<IBuildLogStore>(provider => new FileBuildLogStore(provider.GetRequiredService<BuildWorkspaces>().Root));
        // What a build keeps for its page: files where the build packaged them unless the storage backend registered its own (PostgreSQL does).
        services.TryAddSingleton<IBuildFileStore>(provider => new FileBuildFileStore(provider.GetRequiredService<BuildWorkspaces>().Root));
        // Pipeline artifacts: files in the data directory unless the storage backend registered its own (PostgreSQL does).
        services.TryAddSingleton<IArtifactStore>(provider => new FileArtifactStore(Path.Combine(provider.GetRequiredService<Hosting.CairnServerOptions>().DataDirectory, "artifacts")));
        services.AddSingleton<BuildLogEndpoint>();
        services.AddSingleton<BuildRoleEndpoint>();
        services.AddSingleton<Application.Builds.Agents.BuildAgentService>();
        services.AddSingleton<Application.Builds.Agents.AgentBuildOutputs>();
        services.AddSingleton<Agents.AgentEndpoint>();
        services.AddHostedService<Application.Builds.Agents.BuildAgentLeases>();
        services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, BuildLogEndpointFilter>();
        services.AddSingleton<CodeBuildService>();
        services.AddSingleton<IJsonService>(provider => provider.GetRequiredService<CodeBuildService>());
        services.TryAddSingleton<IBuildRoleAssumer, StsBuildRoleAssumer>();
        services.TryAddSingleton<IBuildExecutor, BuildExecutor>();
        services.AddSingleton<HostSandboxes>();
        services.AddSingleton<IBuildSecretSources, BuildSecretSources>();
        services.AddSingleton<PipelineArtifacts>();
        services.AddSingleton<BuildOrchestrator>();
        services.AddSingleton<BuildWorkerPool>();
        services.AddHostedService(provider => provider.GetRequiredService<BuildWorkerPool>());
        Services.Logs.LogsModule.AddLogs(services);
        return services;
    }
}
