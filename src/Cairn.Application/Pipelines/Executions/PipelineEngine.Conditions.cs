using Cairn.Core.Errors;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Conditions;
using Cairn.Core.Pipelines.Executions;

namespace Cairn.Application.Pipelines.Executions;

/// <summary>
/// Stage conditions (V2): beforeEntry before a stage's first action (all rules pass: enter; a rule fails: its result,
/// FAIL or SKIP; a DeploymentWindow that is shut waits for it), onSuccess when every action succeeded (a rule fails:
/// ROLLBACK or FAIL), onFailure's conditions when the stage failed (all rules pass: onFailure's result engages; else
/// the stage just fails). Also OverrideStageCondition, Cancelled executions of an updated pipeline, and the limit on
/// executions in QUEUED and PARALLEL mode.
/// </summary>
public sealed partial class PipelineEngine
{
    /// <summary>AWS's quota on executions of one pipeline in QUEUED or PARALLEL mode (active ones: in progress or waiting).</summary>
    public const int ConcurrentExecutionsLimit = 50;

    /// <summary>The limit this engine applies (<see cref="ConcurrentExecutionsLimit"/>; lowered by tests).</summary>
    internal int ExecutionLimit { get; set; } = ConcurrentExecutionsLimit;

    /// <summary>Lets a beforeEntry condition that waits (a DeploymentWindow) in now, by <paramref name="caller"/> (OverrideStageCondition).</summary>
    public async Task OverrideConditionAsync(
        PipelineScope scope, string pipelineName, string stageName, string executionId, string kind, string caller, CancellationToken cancellationToken)
    {
        await using var gate = await EnterAsync(scope, pipelineName, cancellationToken);
        var execution = await store.GetAsync(scope, pipelineName, executionId, cancellationToken)
            ?? throw AwsErrors.PipelineExecutionNotFound(executionId, pipelineName);
        var latest = await store.LatestStageExecutionsAsync(scope, pipelineName, cancellationToken);
        if (latest.TryGetValue(stageName, out var latestId) && latestId != executionId)
        {
            throw AwsErrors.NotLatestPipelineExecution(stageName, executionId, latestId);
        }

        var run = execution.Condition(stageName, kind);
        if (run is null || run.Status != ExecutionStatuses.InProgress || !ExecutionStatuses.IsActive(execution.Status))
        {
            throw AwsErrors.ConditionNotOverridable(stageName, executionId, kind, run?.Status);
        }

        var now = time.GetUtcNow();
        var overridden = run with
        {
            Status = ConditionStatuses.Overridden,
            Summary = $"Overridden by {caller}.",
            WaitUntil = null,
            UpdatedBy = caller,
            LastUpdateTime = now,
            Rules = run.Rules.Select(r => r.Status == ExecutionStatuses.InProgress ? r with { Status = ExecutionStatuses.Abandoned, LastUpdateTime = now } : r).ToList(),
        };
        DisarmApproval(ConditionTimerKey(executionId));
        await store.SaveAsync(WithCondition(execution, overridden) with { LastUpdateTime = now }, cancellationToken);
        await AdvanceLockedAsync(scope, pipelineName, cancellationToken);
    }

    /// <summary>After UpdatePipeline: executions of an earlier version that wait for a stage are Cancelled now rather than at their next move.</summary>
    public Task PipelineUpdatedAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken) =>
        AdvanceAsync(scope, pipelineName, cancellationToken);

    /// <summary>In QUEUED and PARALLEL mode, StartPipelineExecution is refused once <see cref="ExecutionLimit"/> executions are active.</summary>
    private async Task CheckExecutionLimitAsync(PipelineRecord pipeline, PipelinePlan plan, string? clientRequestToken, CancellationToken cancellationToken)
    {
        if (plan.ExecutionMode is not (ExecutionKinds.Queued or ExecutionKinds.Parallel))
        {
            return;
        }

        var active = await store.ListActiveAsync(pipeline.Scope, pipeline.Name, cancellationToken);
        var standard = active.Where(e => e.ExecutionType == ExecutionKinds.Standard).ToList();
        if (standard.Count >= ExecutionLimit && (clientRequestToken is null || standard.All(e => e.ClientRequestToken != clientRequestToken)))
        {
            throw AwsErrors.ConcurrentPipelineExecutionsLimitExceeded(pipeline.Name, plan.ExecutionMode, ExecutionLimit);
        }
    }

    /// <summary>
    /// An execution waiting for a stage runs a version older than the pipeline's latest: AWS's Cancelled ("the
    /// pipeline's definition was updated before the pipeline execution could be completed"). A stage it is in finishes
    /// first; a ROLLBACK execution runs its target's version on purpose and is never cancelled.
    /// </summary>
    private async Task<Step?> CancelIfOutdatedAsync(PipelineExecution execution, string waiting, CancellationToken cancellationToken)
    {
        if (execution.ExecutionType == ExecutionKinds.Rollback
            || (await pipelines.GetAsync(execution.Scope, execution.PipelineName, null, cancellationToken))?.Pipeline is not { } latest
            || latest.Version <= execution.PipelineVersion)
        {
            return null;
        }

        var done = execution.Stages.LastOrDefault(s => s.Status == ExecutionStatuses.Succeeded)?.StageName;
        var summary = $"Pipeline '{execution.PipelineName}' was updated to version {latest.Version} before this execution (version {execution.PipelineVersion}) "
            + (done is null ? $"entered stage {waiting}" : $"could go on from stage {done} to {waiting}")
            + $", so it was cancelled there; start a new execution (start-pipeline-execution) to run version {latest.Version}.";
        return new Step(Finish(execution, ExecutionStatuses.Cancelled, summary), []);
    }

    /// <summary>
    /// The beforeEntry gate of a stage just entered: null to go on to the actions, a step that records the evaluation
    /// (passed, waiting, or its FAIL/SKIP result), or <c>Wait</c> while a window is shut.
    /// </summary>
    private async Task<(Step? Step, bool Wait)> BeforeEntryAsync(PipelineExecution execution, StageExecution stage, StagePlan stagePlan, CancellationToken cancellationToken)
    {
        if (stagePlan.BeforeEntry is not { } condition || execution.ExecutionType == ExecutionKinds.Rollback)
        {
            return (null, false);
        }

        var previous = execution.Condition(stage.StageName, ConditionKinds.BeforeEntry);
        if (previous is not null && previous.Status != ExecutionStatuses.InProgress)
        {
            return (null, false);
        }

        var now = time.GetUtcNow();
        if (previous?.WaitUntil is { } until && now < until)
        {
            ArmConditionTimer(execution, until);
            return (null, true);
        }

        var run = await EvaluateAsync(execution, stage, condition, ConditionKinds.BeforeEntry, previous, cancellationToken);
        if (run.Status is ExecutionStatuses.Succeeded or ExecutionStatuses.InProgress)
        {
            if (run.WaitUntil is { } next)
            {
                ArmConditionTimer(execution, next);
            }

            return (new Step(WithCondition(execution, run) with { LastUpdateTime = now }, []), false);
        }

        var result = condition.Result ?? ConditionKinds.Fail;
        var recorded = WithCondition(execution, run with { Result = result });
        if (result == ConditionKinds.Skip)
        {
            var skipped = WithStage(recorded, stage with { Status = ExecutionStatuses.Skipped, LastUpdateTime = now });
            var plan = await PlanOfAsync(execution.Scope, execution.PipelineName, execution.PipelineVersion, cancellationToken);
            return plan?.After(stage.StageName) is { } next
                ? (new Step(skipped with { WaitingForStage = next.Name, LastUpdateTime = now }, []), false)
                : (new Step(Finish(skipped, ExecutionStatuses.Succeeded, null), []), false);
        }

        var failed = WithStage(recorded, stage with { Status = ExecutionStatuses.Failed, LastUpdateTime = now });
        return (new Step(Finish(failed, ExecutionStatuses.Failed, $"Stage {stage.StageName} was not entered: its beforeEntry condition failed. {run.Summary}"), []), false);
    }

    /// <summary>Every action of the stage succeeded: its onSuccess condition decides (passed: the stage succeeds; a rule failed: ROLLBACK or FAIL).</summary>
    private async Task<(PipelineExecution Execution, Step? Step)> OnSuccessAsync(
        PipelineExecution execution, StageExecution stage, StagePlan stagePlan, CancellationToken cancellationToken)
    {
        if (stagePlan.OnSuccess is not { } condition || execution.ExecutionType == ExecutionKinds.Rollback)
        {
            return (execution, null);
        }

        var run = await EvaluateAsync(execution, stage, condition, ConditionKinds.OnSuccess, null, cancellationToken);
        if (run.Status == ExecutionStatuses.Succeeded)
        {
            return (WithCondition(execution, run), null);
        }

        var now = time.GetUtcNow();
        var result = condition.Result ?? ConditionKinds.Fail;
        var recorded = WithCondition(execution, run with { Result = result });
        var failed = Finish(WithStage(recorded, stage with { Status = ExecutionStatuses.Failed, LastUpdateTime = now }), ExecutionStatuses.Failed,
            $"Every action of stage {stage.StageName} succeeded, but its onSuccess condition failed ({result}). {run.Summary}");
        if (result == ConditionKinds.Rollback && execution.ExecutionMode != ExecutionKinds.Parallel
            && await LastSucceededInStageAsync(execution.Scope, execution.PipelineName, stage.StageName, cancellationToken) is { } target)
        {
            return (failed, new Step(failed, [], RollbackTo: (target, stage.StageName)));
        }

        return (failed, new Step(failed, []));
    }

    /// <summary>
    /// The stage failed: with onFailure's conditions, the result engages only when every rule passes (else the stage
    /// just fails); without them, onFailure's result as declared.
    /// </summary>
    private async Task<(string? Result, PipelineExecution Execution)> OnFailureResultAsync(
        PipelineExecution execution, StageExecution stage, StagePlan stagePlan, CancellationToken cancellationToken)
    {
        if (stagePlan.OnFailureCondition is not { } condition || execution.ExecutionType == ExecutionKinds.Rollback)
        {
            return (stagePlan.OnFailure, execution);
        }

        var run = await EvaluateAsync(execution, stage, condition, ConditionKinds.OnFailure, null, cancellationToken);
        var result = run.Status == ExecutionStatuses.Succeeded ? condition.Result ?? stagePlan.OnFailure ?? ConditionKinds.Fail : ConditionKinds.Fail;
        return (result, WithCondition(execution, run with { Result = result }));
    }

    /// <summary>Evaluates every rule of the condition (variables resolved as for actions): any failed fails it, else any waiting makes it wait.</summary>
    private async Task<ConditionRun> EvaluateAsync(
        PipelineExecution execution, StageExecution stage, ConditionPlan condition, string kind, ConditionRun? previous, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var done = await SucceededActionsAsync(execution, cancellationToken);
        var plan = await PlanOfAsync(execution.Scope, execution.PipelineName, execution.PipelineVersion, cancellationToken);
        var waitingSince = kind == ConditionKinds.BeforeEntry ? previous?.StartTime ?? now : (DateTimeOffset?)null;
        var rules = new List<RuleRun>();
        var verdicts = new List<RuleVerdict>();
        foreach (var rule in condition.Rules)
        {
            var resolved = ExecutionVariables.Resolve(rule.Configuration, (ns, key) => Lookup(execution, done, ns, key), out var unresolved);
            var verdict = RuleEvaluation.Evaluate(rule, resolved, unresolved, now, waitingSince);
            var earlier = previous?.Rules.FirstOrDefault(r => r.RuleName == rule.Name);
            verdicts.Add(verdict);
            rules.Add(new RuleRun(
                earlier?.RuleExecutionId ?? Guid.NewGuid().ToString(), rule.Name, rule.Type, verdict.Status, earlier?.StartTime ?? now, now,
                rule.Configuration, resolved ?? rule.Configuration, verdict.Summary, verdict.ErrorCode,
                verdict.Status == ExecutionStatuses.Failed ? verdict.Summary : null,
                rule.Region ?? execution.Scope.Region, rule.RoleArn ?? plan?.RoleArn));
        }

        var failed = verdicts.FirstOrDefault(v => v.Status == ExecutionStatuses.Failed);
        var waiting = verdicts.Where(v => v.Status == ExecutionStatuses.InProgress).ToList();
        var (status, summary) = failed is not null ? (ExecutionStatuses.Failed, failed.Summary)
            : waiting.Count > 0 ? (ExecutionStatuses.InProgress, waiting[0].Summary)
            : (ExecutionStatuses.Succeeded, $"All {rules.Count} rule(s) of the {ConditionKinds.Member(kind)} condition passed.");
        return new ConditionRun(
            stage.StageName, kind, stage.Attempt, status, summary, previous?.StartTime ?? now, now, rules,
            WaitUntil: status == ExecutionStatuses.InProgress ? waiting.Min(v => v.RetryAt) : null);
    }

    /// <summary>A stopped execution's conditions that were still waiting are abandoned.</summary>
    private PipelineExecution AbandonConditions(PipelineExecution execution, DateTimeOffset now)
    {
        DisarmApproval(ConditionTimerKey(execution.ExecutionId));
        return execution.ConditionRuns.Any(c => c.Status == ExecutionStatuses.InProgress)
            ? execution with
            {
                Conditions = execution.ConditionRuns.Select(c => c.Status != ExecutionStatuses.InProgress ? c : c with
                {
                    Status = ExecutionStatuses.Abandoned, WaitUntil = null, LastUpdateTime = now,
                    Rules = c.Rules.Select(r => r.Status == ExecutionStatuses.InProgress ? r with { Status = ExecutionStatuses.Abandoned, LastUpdateTime = now } : r).ToList(),
                }).ToList(),
            }
            : execution;
    }

    /// <summary>Looks again when a waiting condition's window opens (the timer lives with the approvals' so shutdown disposes it).</summary>
    private void ArmConditionTimer(PipelineExecution execution, DateTimeOffset at)
    {
        var key = ConditionTimerKey(execution.ExecutionId);
        if (_approvalTimers.ContainsKey(key))
        {
            return;
        }

        void Fire(object? _)
        {
            DisarmApproval(key);
            _tasks[key] = Task.Run(async () =>
            {
                try
                {
                    await AdvanceAsync(execution.Scope, execution.PipelineName, _shutdown.Token);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down: the next start looks again.
                }

                _tasks.TryRemove(key, out Task? _);
            }, CancellationToken.None);
        }

        var due = at - time.GetUtcNow();
        _approvalTimers[key] = time.CreateTimer(Fire, null, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private static string ConditionTimerKey(string executionId) => "condition/" + executionId;

    private static PipelineExecution WithCondition(PipelineExecution execution, ConditionRun run)
    {
        var runs = execution.ConditionRuns.ToList();
        var index = runs.FindLastIndex(c => c.StageName == run.StageName && c.Kind == run.Kind && c.Attempt == run.Attempt);
        if (index >= 0)
        {
            runs[index] = run;
        }
        else
        {
            runs.Add(run);
        }

        return execution with { Conditions = runs };
    }
}
