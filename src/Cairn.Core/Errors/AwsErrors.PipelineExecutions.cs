namespace Cairn.Core.Errors;

/// <summary>
/// CodePipeline's execution errors (StartPipelineExecution to RollbackStage). AWS's codes; where AWS's text is not known
/// or says too little ("verify"), the message names what is wrong and the command that shows or fixes it.
/// </summary>
public static partial class AwsErrors
{
    public static AwsException PipelineExecutionNotFound(string executionId, string pipeline) =>
        new("PipelineExecutionNotFoundException",
            $"Pipeline execution '{executionId}' does not exist in pipeline '{pipeline}'; aws codepipeline list-pipeline-executions --pipeline-name {pipeline} lists its executions.");

    public static AwsException StageNotFound(string stage, string pipeline, IEnumerable<string> stages) =>
        new("StageNotFoundException", $"Stage '{stage}' does not exist in pipeline '{pipeline}'; its stages are {string.Join(", ", stages)}.");

    public static AwsException ActionNotFound(string action, string stage, IEnumerable<string> actions) =>
        new("ActionNotFoundException", $"Action '{action}' does not exist in stage '{stage}'; its actions are {string.Join(", ", actions)}.");

    /// <summary>verify.</summary>
    public static AwsException InvalidApprovalToken(string action, string stage) =>
        new("InvalidApprovalTokenException",
            $"The approval token is not the token of the approval that action '{action}' in stage '{stage}' is waiting for: "
            + "get-pipeline-state shows the current token in the action's latestExecution.token.");

    /// <summary>verify.</summary>
    public static AwsException ApprovalAlreadyCompleted(string action, string stage, string status) =>
        new("ApprovalAlreadyCompletedException", $"The approval of action '{action}' in stage '{stage}' has already completed ({status}); nothing waits for this token any more.");

    /// <summary>verify.</summary>
    public static AwsException StageNotRetryable(string stage, string why) =>
        new("StageNotRetryableException", $"Stage '{stage}' cannot be retried: {why}");

    /// <summary>verify.</summary>
    public static AwsException DuplicatedStopRequest(string executionId) =>
        new("DuplicatedStopRequestException",
            $"Execution '{executionId}' is already stopping; to cancel its running actions instead of waiting for them, stop it again with --abandon.");

    /// <summary>verify.</summary>
    public static AwsException PipelineExecutionNotStoppable(string executionId, string status) =>
        new("PipelineExecutionNotStoppableException", $"Execution '{executionId}' is {status}; only an execution that is InProgress can be stopped.");

    /// <summary>verify.</summary>
    public static AwsException UnableToRollbackStage(string message) => new("UnableToRollbackStageException", message);

    /// <summary>
    /// A rollback whose target no longer has an input artifact of the stage: the artifact sweep removed it after the
    /// server's retention (<paramref name="retentionDays"/>, null: artifacts are kept forever, so something outside removed it).
    /// </summary>
    public static AwsException RollbackArtifactRemoved(string targetExecutionId, string stageName, string artifactName, int? retentionDays) =>
        UnableToRollbackStage(
            $"Execution '{targetExecutionId}' no longer has artifact '{artifactName}', an input of stage '{stageName}', in the artifact store: "
            + (retentionDays is { } days
                ? $"this server removes the artifacts of executions that ended more than {days} days ago (cairn serve --pipeline-artifact-retention-days {days}), "
                    + "keeping each stage's latest execution and latest successful execution. Roll back to a more recent execution that succeeded in the stage, "
                    + "or start an execution of the revision you want; a larger --pipeline-artifact-retention-days keeps more."
                : "this server keeps pipeline artifacts forever (cairn serve --pipeline-artifact-retention-days is not set), so it was removed outside Cairn. "
                    + "Roll back to another execution that succeeded in the stage, or start an execution of the revision you want."));

    /// <summary>verify.</summary>
    public static AwsException PipelineExecutionConflict(string message) => new("ConflictException", message);

    /// <summary>verify.</summary>
    public static AwsException UnknownPipelineVariable(string name, string pipeline, IEnumerable<string> declared) =>
        new("ValidationException",
            $"Pipeline '{pipeline}' declares no variable '{name}'; " + (declared.Any()
                ? $"its variables are {string.Join(", ", declared)}."
                : "it declares no variables (add them to the declaration's \"variables\", a V2 pipeline's list of name and defaultValue)."));

    /// <summary>verify.</summary>
    public static AwsException PipelineVariableWithoutValue(string name, string pipeline) =>
        new("ValidationException",
            $"Pipeline variable '{name}' of pipeline '{pipeline}' has no default value, so each start must give it: --variables name={name},value=...");

    /// <summary>verify.</summary>
    public static AwsException UnknownSourceAction(string action, string pipeline) =>
        new("ValidationException", $"sourceRevisions names action '{action}', which is not a source action of pipeline '{pipeline}'.");

    /// <summary>verify.</summary>
    public static AwsException NotLatestPipelineExecution(string stage, string executionId, string latest) =>
        new("NotLatestPipelineExecutionException",
            $"Execution '{executionId}' is not the latest execution of stage '{stage}' (the latest is '{latest}'); retry the latest one, or start a new execution.");
}
