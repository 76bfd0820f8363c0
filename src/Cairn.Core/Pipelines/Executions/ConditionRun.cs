namespace Cairn.Core.Pipelines.Executions;

/// <summary>
/// One evaluation of a stage's condition (beforeEntry, onSuccess or onFailure) by one execution: its status
/// (InProgress while a DeploymentWindow waits, Succeeded, Failed, Overridden, Abandoned), the result it engaged, and
/// each rule's run. Stored inside the <see cref="PipelineExecution"/> document.
/// </summary>
/// <param name="Attempt">The stage attempt it was evaluated for (onSuccess and onFailure run again after a retry).</param>
/// <param name="WaitUntil">While InProgress: when the engine looks again (a DeploymentWindow's next opening).</param>
/// <param name="Result">The result that engaged (FAIL, SKIP, ROLLBACK, RETRY), if one did.</param>
public sealed record ConditionRun(
    string StageName,
    string Kind,
    int Attempt,
    string Status,
    string? Summary,
    DateTimeOffset StartTime,
    DateTimeOffset LastUpdateTime,
    IReadOnlyList<RuleRun> Rules,
    DateTimeOffset? WaitUntil = null,
    string? Result = null,
    string? UpdatedBy = null);

/// <summary>One run of one rule: its configuration as declared and resolved, its status and what it found.</summary>
public sealed record RuleRun(
    string RuleExecutionId,
    string RuleName,
    ActionTypeId Type,
    string Status,
    DateTimeOffset StartTime,
    DateTimeOffset LastUpdateTime,
    IReadOnlyDictionary<string, string> Configuration,
    IReadOnlyDictionary<string, string> ResolvedConfiguration,
    string? Summary = null,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    string? Region = null,
    string? RoleArn = null);

/// <summary>AWS's ConditionExecutionStatus values Cairn sets besides <see cref="ExecutionStatuses"/>' ones.</summary>
public static class ConditionStatuses
{
    public const string Overridden = "Overridden";
    public const string Errored = "Errored";
}
