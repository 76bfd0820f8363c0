using Cairn.Core.Identity;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Artifacts;

namespace Cairn.Application.Pipelines.Actions;

/// <summary>
/// One action execution as the engine hands it to a runner.
/// </summary>
/// <param name="Role">The pipeline's role session (roleArn assumed as codepipeline.amazonaws.com): every call the
/// action makes (StartBuild, GetParameter for registry credentials, ...) is authorized as this principal.</param>
/// <param name="Configuration">The action's configuration with every <c>#{...}</c> variable already resolved.</param>
/// <param name="Inputs">The input artifacts in declaration order (the first is the primary one), each where the action
/// that made it stored it.</param>
/// <param name="OutputArtifactNames">The names of the artifacts the action must produce, in declaration order; store
/// each with <see cref="IArtifactStore.PutDirectoryAsync"/> under <see cref="ArtifactKeyPrefix"/>.</param>
/// <param name="ArtifactStore">The pipeline's artifact store (artifactStore.location, or the one of the action's region).</param>
/// <param name="ArtifactKeyPrefix">Where this execution's artifacts go in it (pipeline name and execution id).</param>
/// <param name="SourceRevision">For a source action: the revision StartPipelineExecution's sourceRevisions (or the trigger
/// that started the execution) asked for; null means the branch's head.</param>
/// <param name="EnvironmentVariables">The action's environmentVariables (V2) with their <c>#{...}</c> variables resolved,
/// in declaration order; empty when it declares none.</param>
/// <param name="ExternalExecutionId">Set when the engine resumes an action after a restart: what the runner reported
/// through <see cref="IActionProgress.ReportAsync"/> (a build id), so it can attach to it rather than start again.</param>
public sealed record ActionRun(
    RequestContext Role,
    PipelineScope Scope,
    string PipelineName,
    int PipelineVersion,
    string ExecutionId,
    string StageName,
    string ActionName,
    string ActionExecutionId,
    ActionTypeId Type,
    IReadOnlyDictionary<string, string> Configuration,
    IReadOnlyList<ActionArtifact> Inputs,
    IReadOnlyList<string> OutputArtifactNames,
    string ArtifactStore,
    string ArtifactKeyPrefix,
    string? Namespace,
    string? Region,
    int? TimeoutInMinutes,
    SourceRevisionRequest? SourceRevision = null,
    string? ExternalExecutionId = null,
    IReadOnlyList<ActionEnvironmentVariable>? EnvironmentVariables = null)
{
    public string PipelineArn => Scope.PipelineArn(PipelineName);
}

/// <summary>A named artifact and where its archive is.</summary>
public sealed record ActionArtifact(string Name, ArtifactLocation Location);

/// <summary>A source revision to fetch instead of the branch's head (AWS's SourceRevisionOverride: COMMIT_ID, ...).</summary>
public sealed record SourceRevisionRequest(string RevisionType, string RevisionValue);
