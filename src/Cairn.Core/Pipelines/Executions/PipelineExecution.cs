namespace Cairn.Core.Pipelines.Executions;

/// <summary>
/// One run of a pipeline at one version, with everything the engine needs to carry on after a restart: where it is
/// (the stage it runs in, or the stage it waits to enter), each stage execution and each action execution. Stored as
/// one document per execution and replaced on every change.
/// </summary>
/// <param name="PipelineVersion">The declaration version the execution runs: it keeps running that version when the pipeline is updated.</param>
/// <param name="Variables">The pipeline-level variables resolved at start (defaults, overridden by StartPipelineExecution's variables).</param>
/// <param name="WaitingForStage">The stage the execution waits to enter (its transition disabled, or another execution in it); null while in a stage.</param>
/// <param name="RollbackTarget">For a ROLLBACK execution: the earlier successful execution whose inputs the stage re-runs with.</param>
/// <param name="ClientRequestToken">StartPipelineExecution's idempotency token.</param>
/// <param name="StopReason">StopPipelineExecution's reason (stopTrigger).</param>
/// <param name="Conditions">The stage conditions this execution evaluated (null in documents stored before conditions ran).</param>
public sealed record PipelineExecution(
    PipelineScope Scope,
    string PipelineName,
    string ExecutionId,
    int PipelineVersion,
    string Status,
    string? StatusSummary,
    ExecutionTriggerRecord Trigger,
    IReadOnlyList<PipelineVariableValue> Variables,
    string ExecutionMode,
    string ExecutionType,
    DateTimeOffset StartTime,
    DateTimeOffset LastUpdateTime,
    string? WaitingForStage,
    IReadOnlyList<StageExecution> Stages,
    IReadOnlyList<ActionExecution> Actions,
    string? RollbackTarget = null,
    string? ClientRequestToken = null,
    string? StopReason = null,
    IReadOnlyList<ConditionRun>? Conditions = null)
{
    /// <summary>The condition runs, oldest first.</summary>
    public IReadOnlyList<ConditionRun> ConditionRuns => Conditions ?? [];

    /// <summary>The latest run of a stage's condition of <paramref name="kind"/>, if it was evaluated.</summary>
    public ConditionRun? Condition(string stageName, string kind) => ConditionRuns.LastOrDefault(c => c.StageName == stageName && c.Kind == kind);

    public string PipelineArn => Scope.PipelineArn(PipelineName);

    /// <summary>The stage execution in progress (or stopping), if the execution is inside a stage.</summary>
    public StageExecution? CurrentStage => Stages.LastOrDefault(s => ExecutionStatuses.IsActive(s.Status));

    public StageExecution? Stage(string stageName) => Stages.LastOrDefault(s => s.StageName == stageName);

    /// <summary>The source revisions the execution's source actions fetched (GetPipelineExecution's artifactRevisions).</summary>
    public IEnumerable<ActionExecution> SourceActions => Actions.Where(a => a.Revision is not null);
}

/// <summary>AWS's ExecutionTrigger (type and detail) and the source revisions StartPipelineExecution pinned, by source action name.</summary>
public sealed record ExecutionTriggerRecord(string TriggerType, string TriggerDetail, IReadOnlyList<SourceRevisionPin> SourceRevisions);

public sealed record SourceRevisionPin(string ActionName, string RevisionType, string RevisionValue);

public sealed record PipelineVariableValue(string Name, string Value);

/// <summary>
/// A stage as one execution ran it. <see cref="Attempt"/> counts the runs (1, then each retry); action executions of the
/// attempts from <see cref="FirstAttempt"/> on count (ALL_ACTIONS starts afresh, FAILED_ACTIONS keeps what succeeded).
/// </summary>
/// <see cref="AutomaticRetries"/> counts the retries onFailure's RETRY made of this entry, <see cref="ManualRetries"/> RetryStageExecution's.
public sealed record StageExecution(
    string StageName, string Status, int Attempt, int FirstAttempt, DateTimeOffset Entered, DateTimeOffset LastUpdateTime, int AutomaticRetries = 0, int ManualRetries = 0);

/// <summary>
/// One run of one action: what it was given (the configuration with its variables resolved, the input artifacts) and
/// what it said (status, summary, external execution, output artifacts and variables, error). An approval carries its
/// token; <see cref="UpdatedBy"/> is who approved or rejected it. <see cref="Runner"/> is the server process running a
/// (non-approval) action in progress (<c>host/pid/start-ms</c>): another server runs it again only once that runner is gone.
/// </summary>
public sealed record ActionExecution(
    string ActionExecutionId,
    string StageName,
    string ActionName,
    int Attempt,
    int RunOrder,
    ActionTypeId Type,
    string Status,
    DateTimeOffset StartTime,
    DateTimeOffset LastUpdateTime,
    IReadOnlyDictionary<string, string> Configuration,
    IReadOnlyList<ArtifactReference> Inputs,
    IReadOnlyList<ArtifactReference> Outputs,
    IReadOnlyDictionary<string, string> OutputVariables,
    string? Namespace = null,
    string? Region = null,
    string? RoleArn = null,
    string? Summary = null,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    string? ExternalExecutionId = null,
    string? ExternalExecutionUrl = null,
    string? Token = null,
    string? UpdatedBy = null,
    SourceRevisionRecord? Revision = null,
    string? Runner = null)
{
    public bool IsApproval => Type.Category == "Approval" && Type.Owner == "AWS" && Type.Provider == "Manual";
}

/// <summary>An artifact an action read or made: its name and where its archive is (artifact store and key).</summary>
public sealed record ArtifactReference(string Name, string Store, string Key);

/// <summary>The revision a source action fetched.</summary>
public sealed record SourceRevisionRecord(string ArtifactName, string RevisionId, string? RevisionSummary, string? RevisionUrl, DateTimeOffset? Created);

/// <summary>A stage's inbound transition when it has been enabled or disabled (EnableStageTransition, DisableStageTransition).</summary>
public sealed record StageTransition(string StageName, bool Enabled, string? DisabledReason, string LastChangedBy, DateTimeOffset LastChangedAt);
