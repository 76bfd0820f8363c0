using Cairn.Application.Pipelines.Actions;
using Cairn.Core.Errors;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;

namespace Cairn.Application.Pipelines.Executions;

/// <summary>What callers ask of running executions: stop, approve, retry, roll back, hold or release a transition.</summary>
public sealed partial class PipelineEngine
{
    /// <summary>Lines the runners logged, per execution (for a live view).</summary>
    public ExecutionActivity Activity { get; } = new();

    /// <summary>
    /// Stops an execution: without <paramref name="abandon"/> its running actions finish, then it is Stopped; with it they
    /// are cancelled (their runner's token) and marked Abandoned. A waiting approval is abandoned either way.
    /// </summary>
    public async Task<PipelineExecution> StopAsync(
        PipelineScope scope, string pipelineName, string executionId, bool abandon, string? reason, CancellationToken cancellationToken)
    {
        await using var gate = await EnterAsync(scope, pipelineName, cancellationToken);
        var execution = await store.GetAsync(scope, pipelineName, executionId, cancellationToken)
            ?? throw AwsErrors.PipelineExecutionNotFound(executionId, pipelineName);
        if (execution.Status == ExecutionStatuses.Stopping && !abandon)
        {
            throw AwsErrors.DuplicatedStopRequest(executionId);
        }

        if (!ExecutionStatuses.IsActive(execution.Status))
        {
            throw AwsErrors.PipelineExecutionNotStoppable(executionId, execution.Status);
        }

        var now = time.GetUtcNow();
        var stopping = execution with { Status = ExecutionStatuses.Stopping, StopReason = reason ?? execution.StopReason, LastUpdateTime = now };
        if (stopping.CurrentStage is { } stage)
        {
            stopping = WithStage(stopping, stage with { Status = ExecutionStatuses.Stopping, LastUpdateTime = now });
        }

        if (abandon)
        {
            foreach (var action in stopping.Actions.Where(a => a.Status == ExecutionStatuses.InProgress).ToList())
            {
                CancelAction(action.ActionExecutionId);
                stopping = WithAction(stopping, action with { Status = ExecutionStatuses.Abandoned, LastUpdateTime = now });
            }
        }

        await store.SaveAsync(stopping, cancellationToken);
        await AdvanceLockedAsync(scope, pipelineName, cancellationToken);
        return stopping;
    }

    /// <summary>
    /// Answers the approval that action <paramref name="actionName"/> of <paramref name="stageName"/> waits for with
    /// <paramref name="token"/>; when it was answered.
    /// </summary>
    public async Task<DateTimeOffset> PutApprovalResultAsync(
        PipelineScope scope, string pipelineName, string stageName, string actionName, string token, bool approved, string summary, string approver,
        CancellationToken cancellationToken)
    {
        PipelineExecution? waiting;
        ActionExecution? approval;
        await using (await EnterAsync(scope, pipelineName, cancellationToken))
        {
            var active = await store.ListActiveAsync(scope, pipelineName, cancellationToken);
            (waiting, approval) = active
                .SelectMany(e => e.Actions.Where(a => a.StageName == stageName && a.ActionName == actionName && a.IsApproval && a.Token == token).Select(a => (e, a)))
                .Select(p => ((PipelineExecution?)p.e, (ActionExecution?)p.a))
                .FirstOrDefault();
            if (approval is null || approval.Status != ExecutionStatuses.InProgress)
            {
                var completed = approval ?? await FindApprovalAsync(scope, pipelineName, stageName, actionName, token, cancellationToken);
                throw completed is not null
                    ? AwsErrors.ApprovalAlreadyCompleted(actionName, stageName, completed.Status)
                    : AwsErrors.InvalidApprovalToken(actionName, stageName);
            }
        }

        var now = time.GetUtcNow();
        var outcome = approved
            ? ActionOutcome.Success(summary, [], new Dictionary<string, string>())
            : ActionOutcome.Failure("JobFailed", $"Rejected by {approver}: {summary}") with { Summary = summary };
        await CompleteActionAsync(scope, pipelineName, waiting!.ExecutionId, approval.ActionExecutionId, outcome, approver, cancellationToken);
        return now;
    }

    private async Task<ActionExecution?> FindApprovalAsync(
        PipelineScope scope, string pipelineName, string stageName, string actionName, string token, CancellationToken cancellationToken)
    {
        var latest = await store.LatestStageExecutionsAsync(scope, pipelineName, cancellationToken);
        if (!latest.TryGetValue(stageName, out var executionId))
        {
            return null;
        }

        var execution = await store.GetAsync(scope, pipelineName, executionId, cancellationToken);
        return execution?.Actions.LastOrDefault(a => a.StageName == stageName && a.ActionName == actionName && a.Token == token);
    }

    /// <summary>
    /// Runs a failed stage of the latest execution to enter it again: its failed actions (FAILED_ACTIONS) or all of them
    /// (ALL_ACTIONS), with the same inputs.
    /// </summary>
    public async Task<string> RetryStageAsync(
        PipelineScope scope, string pipelineName, string stageName, string executionId, string retryMode, CancellationToken cancellationToken)
    {
        await using var gate = await EnterAsync(scope, pipelineName, cancellationToken);
        var execution = await store.GetAsync(scope, pipelineName, executionId, cancellationToken)
            ?? throw AwsErrors.PipelineExecutionNotFound(executionId, pipelineName);
        var latest = await store.LatestStageExecutionsAsync(scope, pipelineName, cancellationToken);
        if (!latest.TryGetValue(stageName, out var latestId) || execution.Stage(stageName) is not { } stage)
        {
            throw AwsErrors.StageNotRetryable(stageName, $"execution {executionId} has not run it.");
        }

        if (latestId != executionId)
        {
            throw AwsErrors.NotLatestPipelineExecution(stageName, executionId, latestId);
        }

        if (stage.Status != ExecutionStatuses.Failed || ExecutionStatuses.IsActive(execution.Status))
        {
            throw AwsErrors.StageNotRetryable(stageName, $"its latest execution ({executionId}) is {stage.Status} there, and only a Failed stage can be retried.");
        }

        var now = time.GetUtcNow();
        var attempt = stage.Attempt + 1;
        var retried = stage with
        {
            Status = ExecutionStatuses.InProgress,
            Attempt = attempt,
            FirstAttempt = retryMode == ExecutionKinds.AllActions ? attempt : stage.FirstAttempt,
            ManualRetries = stage.ManualRetries + 1,
            LastUpdateTime = now,
        };
        var running = WithStage(execution, retried) with { Status = ExecutionStatuses.InProgress, StatusSummary = null, WaitingForStage = null, LastUpdateTime = now };
        await store.SaveAsync(running, cancellationToken);
        await AdvanceLockedAsync(scope, pipelineName, cancellationToken);
        return executionId;
    }

    /// <summary>Re-runs <paramref name="stageName"/> with the inputs of <paramref name="targetExecutionId"/>, an earlier execution that succeeded in it, as a ROLLBACK execution.</summary>
    public async Task<string> RollbackStageAsync(
        PipelineRecord pipeline, string stageName, string targetExecutionId, string caller, CancellationToken cancellationToken)
    {
        if (PlanOf(pipeline).ExecutionMode == ExecutionKinds.Parallel)
        {
            throw AwsErrors.UnableToRollbackStage($"Pipeline '{pipeline.Name}' runs in PARALLEL mode, where stages cannot be rolled back; start an execution of the revision you want instead.");
        }

        await using var gate = await EnterAsync(pipeline.Scope, pipeline.Name, cancellationToken);
        var target = await store.GetAsync(pipeline.Scope, pipeline.Name, targetExecutionId, cancellationToken)
            ?? throw AwsErrors.PipelineExecutionNotFound(targetExecutionId, pipeline.Name);
        if (target.Stage(stageName)?.Status != ExecutionStatuses.Succeeded)
        {
            throw AwsErrors.UnableToRollbackStage(
                $"Execution '{targetExecutionId}' did not succeed in stage '{stageName}', so there is nothing to roll back to; list-pipeline-executions --filter succeededInStage={{stageName={stageName}}} shows the ones that did.");
        }

        var active = await store.ListActiveAsync(pipeline.Scope, pipeline.Name, cancellationToken);
        if (active.FirstOrDefault(e => e.CurrentStage?.StageName == stageName) is { } running)
        {
            throw AwsErrors.PipelineExecutionConflict(
                $"Stage '{stageName}' is running execution '{running.ExecutionId}'; stop it (stop-pipeline-execution) or wait for it to end, then roll back.");
        }

        var inputs = await RollbackInputsAsync(target, stageName, cancellationToken);
        if (await RemovedInputAsync(inputs, cancellationToken) is { } removed)
        {
            throw AwsErrors.RollbackArtifactRemoved(targetExecutionId, stageName, removed.Name, options?.ArtifactRetentionDays);
        }

        var id = await CreateRollbackLockedAsync(target, stageName, "ManualRollback", caller, cancellationToken);
        await AdvanceLockedAsync(pipeline.Scope, pipeline.Name, cancellationToken);
        return id;
    }

    /// <summary>The input artifacts a rollback of <paramref name="stageName"/> to <paramref name="target"/> starts its actions with, as its actions will find them.</summary>
    private async Task<IReadOnlyList<ArtifactReference>> RollbackInputsAsync(PipelineExecution target, string stageName, CancellationToken cancellationToken)
    {
        var stage = (await PlanOfAsync(target.Scope, target.PipelineName, target.PipelineVersion, cancellationToken))?.Stage(stageName);
        // A new rollback execution has no actions yet: its inputs come from the target's succeeded actions, newest first (SucceededActionsAsync).
        var outputs = target.Actions.Where(a => a.Status == ExecutionStatuses.Succeeded).Reverse().SelectMany(a => a.Outputs).ToList();
        return (stage?.Actions ?? []).SelectMany(a => a.InputArtifacts)
            .Select(name => outputs.FirstOrDefault(o => o.Name == name))
            .OfType<ArtifactReference>()
            .ToList();
    }

    private async Task<string> CreateRollbackLockedAsync(PipelineExecution target, string stageName, string triggerType, string detail, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rollback = new PipelineExecution(
            target.Scope, target.PipelineName, Guid.NewGuid().ToString(), target.PipelineVersion, ExecutionStatuses.InProgress, null,
            new ExecutionTriggerRecord(triggerType, detail, []), target.Variables, target.ExecutionMode, ExecutionKinds.Rollback, now, now, stageName, [], [],
            RollbackTarget: target.ExecutionId);
        await store.CreateAsync(rollback, cancellationToken);
        return rollback.ExecutionId;
    }

    /// <summary>Enables or disables a stage's inbound transition; enabling lets the executions held before it in.</summary>
    public async Task SetTransitionAsync(
        PipelineScope scope, string pipelineName, string stageName, bool enabled, string? reason, string caller, CancellationToken cancellationToken)
    {
        await using var gate = await EnterAsync(scope, pipelineName, cancellationToken);
        await store.SetTransitionAsync(scope, pipelineName, new StageTransition(stageName, enabled, enabled ? null : reason, caller, time.GetUtcNow()), cancellationToken);
        await AdvanceLockedAsync(scope, pipelineName, cancellationToken);
    }
}
