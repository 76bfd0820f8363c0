namespace Cairn.Application.Pipelines.Actions;

/// <summary>
/// How an action ended. A failure carries AWS's error code where AWS has one (JobFailed, AccessDenied, ...) and a
/// message that names what is wrong and how to fix it; the engine shows it in GetPipelineState's latestExecution.errorDetails.
/// </summary>
/// <param name="OutputVariables">The action's output variables (available to later actions as #{namespace.key}); never a secret's value.</param>
/// <param name="Revision">For a source action: the revision it fetched (GetPipelineExecution's artifactRevisions).</param>
public sealed record ActionOutcome(
    bool Succeeded,
    string? Summary,
    IReadOnlyList<ActionArtifact> Outputs,
    IReadOnlyDictionary<string, string> OutputVariables,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    string? ExternalExecutionId = null,
    string? ExternalExecutionUrl = null,
    ArtifactRevision? Revision = null)
{
    public static ActionOutcome Success(
        string? summary, IReadOnlyList<ActionArtifact> outputs, IReadOnlyDictionary<string, string> variables,
        string? externalExecutionId = null, string? externalExecutionUrl = null, ArtifactRevision? revision = null) =>
        new(true, summary, outputs, variables, ExternalExecutionId: externalExecutionId, ExternalExecutionUrl: externalExecutionUrl, Revision: revision);

    public static ActionOutcome Failure(string code, string message, string? externalExecutionId = null, string? externalExecutionUrl = null) =>
        new(false, null, [], new Dictionary<string, string>(), code, message, externalExecutionId, externalExecutionUrl);
}

/// <summary>A source revision as GetPipelineExecution's artifactRevisions shows it.</summary>
public sealed record ArtifactRevision(string RevisionId, string? RevisionSummary, string? RevisionUrl, DateTimeOffset? Created);
