using Cairn.Core.Audit;
using Cairn.Core.Builds;
using Cairn.Runner.Artifacts;
using Cairn.Runner.Builds;
using Cairn.Runner.Phases;

namespace Cairn.Server.Services.CodeBuild.Execution;

/// <summary>The runner's <see cref="BuildExecutor"/> behind <see cref="IBuildRunner"/>: a stored build becomes a BuildRequest and the result phase records.</summary>
internal sealed class ExecutorBuildRunner(IServiceProvider services, IAuditLog audit, TimeProvider time) : IBuildRunner
{
    private readonly BuildExecutor _executor = new();

    public async Task<BuildRunOutcome> RunAsync(BuildRunRequest request, Stream log, BuildCancellation cancellation, CancellationToken cancellationToken)
    {
        var build = request.Build;
        var settings = build.Settings;
        var document = settings.ToJson();
        var cacheType = document["cache"]?["type"]?.GetValue<string>() ?? "NO_CACHE";
        var packaging = document["artifacts"]?["packaging"]?.GetValue<string>();
        var buildRequest = new BuildRequest
        {
            Buildspec = request.Buildspec,
            BuildspecPath = request.BuildspecPath,
            SourceDirectory = request.Source.Directory,
            Identity = new BuildIdentity(build.ProjectName, build.Id, build.BuildNumber, build.Initiator),
            Region = build.Scope.Region,
            AccountId = build.Scope.AccountId,
            // StartBuild's overrides are already merged into the build's variables, replacing project ones of the same name.
            ProjectVariables = settings.Environment.Variables.Select(v => new BuildVariable(v.Name, v.Value, TypeOf(v.Type))).ToList(),
            SystemVariables = request.SystemVariables,
            BaseEnvironment = request.BaseEnvironment,
            Masker = request.Masker,
            Secrets = new RoleParameterSource(services, audit, request.RoleContext, time),
            Timeout = request.Timeout > TimeSpan.Zero ? request.Timeout : TimeSpan.FromSeconds(1),
            ArtifactsDirectory = settings.ArtifactsType == "NO_ARTIFACTS" ? null : request.ArtifactsDirectory,
            ArtifactPackaging = packaging == "ZIP" ? ArtifactPackaging.Zip : ArtifactPackaging.Directory,
            CacheDirectory = cacheType == "NO_CACHE" ? null : request.CacheDirectory,
            Image = settings.Environment.Image,
            SourceVersion = build.SourceVersion,
            ResolvedSourceVersion = request.Source.ResolvedVersion,
            SourceRepoUrl = request.Source.RepositoryUrl,
            AwsCommand = request.AwsCommand,
            ShellFactory = request.Containers is { } containers ? containers.Create : request.Sandbox is { } sandbox ? sandbox.Create : null,
            Time = time,
        };
        var result = await _executor.RunAsync(buildRequest, log, cancellation, cancellationToken);
        return new BuildRunOutcome(
            result.Status.ToCodeBuildName(),
            result.Phases.Select(p => new BuildPhaseRecord(
                p.PhaseType.ToCodeBuildName(),
                p.StartTime,
                p.Status?.ToCodeBuildName(),
                p.EndTime,
                p.EndTime is null ? null : p.Contexts.Select(c => new Core.Builds.PhaseContext(c.StatusCode, c.Message)).ToList())).ToList(),
            result.ExportedVariables.Select(v => new Core.Builds.ExportedVariable(v.Name, v.Value)).ToList());
    }

    private static BuildVariableType TypeOf(string type) => type switch
    {
        EnvironmentVariable.ParameterStore => BuildVariableType.ParameterStore,
        EnvironmentVariable.SecretsManager => BuildVariableType.SecretsManager,
        _ => BuildVariableType.Plaintext,
    };
}
