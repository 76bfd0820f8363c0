using System.Collections.Concurrent;
using Cairn.Application.Builds.Queue;
using Cairn.Application.Pipelines.Actions;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Artifacts;
using Cairn.Storage.Pipelines;
using Microsoft.Extensions.Logging;

namespace Cairn.Application.Pipelines.Executions;

/// <summary>
/// Runs pipeline executions, V2 semantics: stages in order, each stage's runOrder groups in order with the actions of a
/// group in parallel, one execution per stage at a time (but in PARALLEL mode), SUPERSEDED/QUEUED/PARALLEL for the
/// executions waiting to enter a stage, transitions, approvals, stop, retry and rollback. Every change is saved to
/// <see cref="IPipelineExecutionStore"/> before anything acts on it, so <see cref="ResumeAsync"/> carries on after a restart.
/// </summary>
/// <remarks>
/// All changes to one pipeline's executions happen under that pipeline's gate: <see cref="AdvanceLockedAsync"/> looks at
/// the active executions and makes one step at a time (enter a stage, start a runOrder group, end a stage, supersede)
/// until none can move. Actions run outside the gate and report back through <see cref="CompleteActionAsync"/>.
/// </remarks>
public sealed partial class PipelineEngine(
    IPipelineStore pipelines,
    IPipelineExecutionStore store,
    IEnumerable<IPipelineActionRunner> runners,
    PipelineRoleSessions roles,
    TimeProvider time,
    PipelineEngineOptions? options = null,
    IArtifactStore? artifacts = null,
    IPipelineRunners? processes = null,
    ILogger<PipelineEngine>? logger = null) : IPipelineExecutions, IAsyncDisposable
{
    /// <summary>How long a Manual approval waits when its action declares no timeoutInMinutes.</summary>
    public static readonly TimeSpan DefaultApprovalTimeout = TimeSpan.FromDays(7);

    private readonly IReadOnlyList<IPipelineActionRunner> _runners = runners.ToList();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ITimer> _approvalTimers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(PipelineScope, string, int), PipelinePlan> _plans = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly PipelineEngineOptions _options = options ?? new PipelineEngineOptions();
    private readonly IPipelineRunners _processes = processes ?? new LocalPipelineRunners();
    private Task? _sweeper;
    private int _heartbeatWritten;
    private int _disposed;

    /// <summary>Whether this process runs pipelines (<see cref="PipelineEngineOptions.RunsPipelines"/>).</summary>
    public bool RunsPipelines => _options.RunsPipelines;

    /// <summary>This process as the runner of the actions it launches.</summary>
    public string RunnerId => _options.RunnerId;

    /// <summary>Starts an execution of the pipeline's latest version as the pipeline itself (a trigger); null when the pipeline is gone.</summary>
    public async Task<string?> StartByTriggerAsync(PipelineScope scope, string pipelineName, ExecutionTrigger trigger, CancellationToken cancellationToken)
    {
        var lookup = await pipelines.GetAsync(scope, pipelineName, null, cancellationToken);
        if (lookup?.Pipeline is not { } pipeline)
        {
            return null;
        }

        var pins = trigger.SourceRevisions.Select(p => new SourceRevisionPin(p.Key, p.Value.RevisionType, p.Value.RevisionValue)).ToList();
        var execution = await StartAsync(pipeline, new ExecutionTriggerRecord(trigger.TriggerType, trigger.TriggerDetail, pins),
            new Dictionary<string, string>(), null, cancellationToken);
        return execution.ExecutionId;
    }

    /// <summary>
    /// Starts an execution of <paramref name="pipeline"/> (already authorized and checked): pipeline variables from their
    /// defaults and <paramref name="variables"/>. A client token an execution already carries returns that execution.
    /// </summary>
    public async Task<PipelineExecution> StartAsync(
        PipelineRecord pipeline, ExecutionTriggerRecord trigger, IReadOnlyDictionary<string, string> variables, string? clientRequestToken,
        CancellationToken cancellationToken)
    {
        var plan = PlanOf(pipeline);
        var resolved = plan.Variables.Select(v => new PipelineVariableValue(v.Name, variables.TryGetValue(v.Name, out var value) ? value : v.DefaultValue ?? string.Empty)).ToList();
        var now = time.GetUtcNow();
        var execution = new PipelineExecution(
            pipeline.Scope, pipeline.Name, Guid.NewGuid().ToString(), pipeline.Version, ExecutionStatuses.InProgress, null, trigger, resolved,
            plan.ExecutionMode, ExecutionKinds.Standard, now, now, plan.Stages[0].Name, [], [], ClientRequestToken: clientRequestToken);

        PipelineExecution stored;
        await using (await EnterAsync(pipeline.Scope, pipeline.Name, cancellationToken))
        {
            await CheckExecutionLimitAsync(pipeline, plan, clientRequestToken, cancellationToken);
            stored = await store.CreateAsync(execution, cancellationToken);
        }

        if (stored.ExecutionId == execution.ExecutionId)
        {
            await AdvanceAsync(pipeline.Scope, pipeline.Name, cancellationToken);
        }

        return stored;
    }

    /// <summary>
    /// On start: says this process is alive, runs again the actions whose runner is gone (a previous run of this server,
    /// or another server that stopped or went silent), arms approvals' timeouts, moves every active execution on, and
    /// from then on does the same every <see cref="PipelineEngineOptions.SweepEvery"/> (see <see cref="SweepAsync"/>).
    /// </summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        await SweepAndAdvanceAsync(atStart: true, cancellationToken);
        _sweeper ??= Task.Run(() => SweepEveryAsync(_shutdown.Token), CancellationToken.None);
    }

    /// <summary>
    /// One pass, as every server on a shared database makes it: this process's heartbeat; each in-progress action that no
    /// process runs (its runner stopped, died, or has not said it is alive for <see cref="PipelineEngineOptions.RunnerLeaseTimeout"/>)
    /// taken over under the pipeline's gate and run here with what its runner reported; each approval's timeout armed
    /// here too (whichever server's fires first fails it; the others find it answered); and each action this process runs
    /// that another server ended (stopped, abandoned, its pipeline deleted) or took over, cancelled here. Returns the
    /// active executions it looked at. <paramref name="atStart"/>: actions recorded under this process's own id are a
    /// previous engine's (a restart under the same id) and run again too.
    /// </summary>
    internal async Task<IReadOnlyList<PipelineExecution>> SweepAsync(bool atStart, CancellationToken cancellationToken)
    {
        await HeartbeatAsync(cancellationToken);
        // Taken before the store is read: an action launched after this is not in the list below, and must not be cancelled for it.
        var runningHere = _running.Keys.ToList();
        var active = await store.ListActiveAsync(null, null, cancellationToken);
        var seen = await _processes.ListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var stillMine = new HashSet<string>(StringComparer.Ordinal);
        foreach (var execution in active)
        {
            foreach (var action in execution.Actions.Where(a => a.Status == ExecutionStatuses.InProgress))
            {
                if (action.IsApproval)
                {
                    if (!_approvalTimers.ContainsKey(action.ActionExecutionId))
                    {
                        await ArmApprovalTimeoutAsync(execution, action, cancellationToken);
                    }
                }
                else if (_running.ContainsKey(action.ActionExecutionId))
                {
                    if (action.Runner is null || action.Runner == RunnerId)
                    {
                        stillMine.Add(action.ActionExecutionId);
                    }
                }
                else if (IsOrphaned(action.Runner, seen, now, atStart))
                {
                    await TakeOverAsync(execution, action.ActionExecutionId, atStart, cancellationToken);
                }
            }
        }

        foreach (var actionExecutionId in runningHere.Where(id => !stillMine.Contains(id)))
        {
            CancelAction(actionExecutionId);
        }

        return active;
    }

    /// <summary>A sweep, then every pipeline with an active execution moved on.</summary>
    private async Task SweepAndAdvanceAsync(bool atStart, CancellationToken cancellationToken)
    {
        var active = await SweepAsync(atStart, cancellationToken);
        foreach (var pipeline in active.Select(e => (e.Scope, e.PipelineName)).Distinct())
        {
            await AdvanceAsync(pipeline.Scope, pipeline.PipelineName, cancellationToken);
        }
    }

    private async Task SweepEveryAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.SweepEvery, time, cancellationToken);
                await SweepAndAdvanceAsync(atStart: false, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The database may be failing over: the next pass tries again.
                logger?.LogWarning(ex, "The pipeline sweep failed; it runs again in {Seconds} s.", _options.SweepEvery.TotalSeconds);
            }
        }
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        await _processes.HeartbeatAsync(RunnerId, time.GetUtcNow(), cancellationToken);
        Volatile.Write(ref _heartbeatWritten, 1);
    }

    /// <summary>
    /// Whether no live process runs an action its record says <paramref name="runner"/> runs: this process's own id only at
    /// start (a previous engine under it); otherwise <see cref="ClaimingProcess.IsOrphaned(string?, DateTimeOffset?, ClaimingProcess, DateTimeOffset, Func{ClaimingProcess, bool}, TimeSpan)"/>,
    /// builds' rule, with the runner's last heartbeat (a runner that stopped forgot itself, so elsewhere it is gone at once).
    /// </summary>
    private bool IsOrphaned(string? runner, IReadOnlyDictionary<string, DateTimeOffset> seen, DateTimeOffset now, bool atStart) =>
        runner == RunnerId
            ? atStart
            : ClaimingProcess.IsOrphaned(runner, runner is not null && seen.TryGetValue(runner, out var at) ? at : null,
                ClaimingProcess.Current, now, ClaimingProcess.IsAliveHere, _options.RunnerLeaseTimeout);

    /// <summary>Runs an orphaned action here, if it is still in progress and still orphaned once the pipeline's gate is held.</summary>
    private async Task TakeOverAsync(PipelineExecution seenExecution, string actionExecutionId, bool atStart, CancellationToken cancellationToken)
    {
        await using var gate = await EnterAsync(seenExecution.Scope, seenExecution.PipelineName, cancellationToken);
        var execution = await store.GetAsync(seenExecution.Scope, seenExecution.PipelineName, seenExecution.ExecutionId, cancellationToken);
        var action = execution?.Actions.FirstOrDefault(a => a.ActionExecutionId == actionExecutionId);
        if (execution is null || action is not { Status: ExecutionStatuses.InProgress } || _running.ContainsKey(actionExecutionId)
            || !IsOrphaned(action.Runner, await _processes.ListAsync(cancellationToken), time.GetUtcNow(), atStart))
        {
            return;
        }

        var mine = action with { Runner = RunnerId };
        var saved = WithAction(execution, mine);
        await store.SaveAsync(saved, cancellationToken);
        Launch(saved, mine);
    }

    /// <summary>
    /// Cancels whatever runs for the pipeline and removes its executions and transitions (DeletePipeline); the ids of the
    /// executions it removed, whose artifacts go next. A cancelled action that still ends finds its execution gone and is dropped.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeletePipelineAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken)
    {
        await using var gate = await EnterAsync(scope, pipelineName, cancellationToken);
        foreach (var execution in await store.ListActiveAsync(scope, pipelineName, cancellationToken))
        {
            foreach (var action in execution.Actions.Where(a => a.Status == ExecutionStatuses.InProgress))
            {
                CancelAction(action.ActionExecutionId);
            }
        }

        var removed = new List<string>();
        for (var skip = 0; ; skip += 100)
        {
            var page = await store.ListAsync(scope, pipelineName, skip, 100, cancellationToken);
            removed.AddRange(page.Select(e => e.ExecutionId));
            if (page.Count < 100)
            {
                break;
            }
        }

        await store.DeletePipelineAsync(scope, pipelineName, cancellationToken);
        return removed;
    }

    /// <summary>Waits for the actions running now to return (tests, shutdown).</summary>
    public Task WhenRunningActionsEndAsync() => Task.WhenAll(_tasks.Values);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Running actions stay InProgress in the store: the next start resumes them.
        await _shutdown.CancelAsync();
        foreach (var timer in _approvalTimers.Values)
        {
            await timer.DisposeAsync();
        }

        try
        {
            await Task.WhenAll(_tasks.Values).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Shutting down: what did not end in time is resumed on the next start.
        }

        try
        {
            // What this process ran and did not finish is another server's to run at once (or this one's next start).
            await _processes.ForgetAsync(RunnerId, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The database is gone or slow: its heartbeat ages out instead.
        }

        _shutdown.Dispose();
    }

    internal PipelinePlan PlanOf(PipelineRecord pipeline) =>
        _plans.GetOrAdd((pipeline.Scope, pipeline.Name, pipeline.Version), _ => PipelinePlan.From(pipeline));

    internal async Task<PipelinePlan?> PlanOfAsync(PipelineScope scope, string pipelineName, int version, CancellationToken cancellationToken)
    {
        if (_plans.TryGetValue((scope, pipelineName, version), out var plan))
        {
            return plan;
        }

        var lookup = await pipelines.GetAsync(scope, pipelineName, version, cancellationToken);
        return lookup?.Pipeline is { } pipeline ? PlanOf(pipeline) : null;
    }

    internal async Task AdvanceAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken)
    {
        await using var gate = await EnterAsync(scope, pipelineName, cancellationToken);
        await AdvanceLockedAsync(scope, pipelineName, cancellationToken);
    }

    /// <summary>
    /// The pipeline's gate: this process's own, then the one every process sharing the store waits for (on PostgreSQL an
    /// advisory lock; see <see cref="IPipelineRunners.LockPipelineAsync"/>).
    /// </summary>
    internal async Task<IAsyncDisposable> EnterAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd($"{scope.AccountId}/{scope.Region}/{pipelineName}", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return new Release(gate, await _processes.LockPipelineAsync(scope.AccountId, scope.Region, pipelineName, cancellationToken));
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>Makes one step at a time, each saved before the next, until no active execution of the pipeline can move.</summary>
    private async Task AdvanceLockedAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken)
    {
        var transitions = (await store.ListTransitionsAsync(scope, pipelineName, cancellationToken))
            .ToDictionary(t => t.StageName, t => t.Enabled, StringComparer.Ordinal);
        while (true)
        {
            var active = await store.ListActiveAsync(scope, pipelineName, cancellationToken);
            var moved = false;
            for (var index = 0; index < active.Count && !moved; index++)
            {
                var plan = await PlanOfAsync(scope, pipelineName, active[index].PipelineVersion, cancellationToken);
                var step = plan is null
                    ? new Step(Finish(active[index], ExecutionStatuses.Failed, "The pipeline version this execution runs no longer exists."), [])
                    : await StepAsync(active, index, plan, transitions, cancellationToken);
                if (step is null)
                {
                    continue;
                }

                // The actions it launches are this process's to run: saved with it as their runner.
                var launch = step.Launch.Select(a => a.IsApproval ? a : a with { Runner = RunnerId }).ToList();
                if (launch.Any(a => !a.IsApproval) && Volatile.Read(ref _heartbeatWritten) == 0)
                {
                    await HeartbeatAsync(cancellationToken);
                }

                step = step with { Execution = launch.Aggregate(step.Execution, WithAction) };
                await store.SaveAsync(step.Execution, cancellationToken);
                foreach (var action in launch)
                {
                    if (action.IsApproval)
                    {
                        await ArmApprovalTimeoutAsync(step.Execution, action, cancellationToken);
                    }
                    else
                    {
                        Launch(step.Execution, action);
                    }
                }

                await AfterStepAsync(step, cancellationToken);
                moved = true;
            }

            if (!moved)
            {
                return;
            }
        }
    }

    /// <summary>One step of the execution at <paramref name="index"/> (the list is oldest first), or null when it cannot move now.</summary>
    private async Task<Step?> StepAsync(
        IReadOnlyList<PipelineExecution> active, int index, PipelinePlan plan, IReadOnlyDictionary<string, bool> transitions, CancellationToken cancellationToken)
    {
        var execution = active[index];
        var now = time.GetUtcNow();
        if (execution.Status == ExecutionStatuses.Stopping)
        {
            return StepStopping(execution, now);
        }

        if (execution.CurrentStage is { } stage)
        {
            return await StepInStageAsync(execution, stage, plan, cancellationToken);
        }

        if (execution.WaitingForStage is not { } waiting)
        {
            return new Step(Finish(execution, ExecutionStatuses.Succeeded, null), []);
        }

        if (await CancelIfOutdatedAsync(execution, waiting, cancellationToken) is { } cancelled)
        {
            return cancelled;
        }

        var parallel = execution.ExecutionMode == ExecutionKinds.Parallel;
        if (execution.ExecutionMode == ExecutionKinds.Superseded && active.Skip(index + 1).FirstOrDefault(o => o.WaitingForStage == waiting) is { } newer)
        {
            return new Step(Finish(execution, ExecutionStatuses.Superseded, $"Superseded by execution {newer.ExecutionId}, which waits for stage {waiting} too."), []);
        }

        var held = transitions.TryGetValue(waiting, out var enabled) && !enabled;
        var occupied = !parallel && active.Any(o => o.ExecutionId != execution.ExecutionId && o.CurrentStage?.StageName == waiting);
        var queuedBehind = execution.ExecutionMode == ExecutionKinds.Queued && active.Take(index).Any(o => o.WaitingForStage == waiting);
        if (held || occupied || queuedBehind)
        {
            return null;
        }

        var attempt = (execution.Stage(waiting)?.Attempt ?? 0) + 1;
        var entered = execution with
        {
            WaitingForStage = null,
            LastUpdateTime = now,
            Stages = [.. execution.Stages, new StageExecution(waiting, ExecutionStatuses.InProgress, attempt, attempt, now, now)],
        };
        return await StepInStageAsync(entered, entered.CurrentStage!, plan, cancellationToken) ?? new Step(entered, []);
    }

    /// <summary>Inside a stage: start the next runOrder group that needs to run, or end the stage when nothing is left or something failed.</summary>
    private async Task<Step?> StepInStageAsync(PipelineExecution execution, StageExecution stage, PipelinePlan plan, CancellationToken cancellationToken)
    {
        if (plan.Stage(stage.StageName) is not { } stagePlan)
        {
            return new Step(Finish(execution, ExecutionStatuses.Failed, $"Stage {stage.StageName} is not in version {plan.Version} of the pipeline."), []);
        }

        var (gated, wait) = await BeforeEntryAsync(execution, stage, stagePlan, cancellationToken);
        if (wait || gated is not null)
        {
            return gated;
        }

        foreach (var group in stagePlan.Groups)
        {
            var latest = group.Select(a => (Plan: a, Latest: LatestRun(execution, stage, a.Name))).ToList();
            if (latest.Any(a => a.Latest?.Status == ExecutionStatuses.InProgress))
            {
                return null;
            }

            if (latest.Any(a => a.Latest is { } run && run.Attempt == stage.Attempt && run.Status is ExecutionStatuses.Failed or ExecutionStatuses.Abandoned))
            {
                return await FailStageAsync(execution, stage, stagePlan, cancellationToken);
            }

            var toRun = latest.Where(a => a.Latest?.Status != ExecutionStatuses.Succeeded).Select(a => a.Plan).ToList();
            if (toRun.Count > 0)
            {
                var created = new List<ActionExecution>();
                foreach (var action in toRun)
                {
                    created.Add(await NewActionExecutionAsync(execution, stage, plan, action, cancellationToken));
                }

                var started = execution with { Actions = [.. execution.Actions, .. created], LastUpdateTime = time.GetUtcNow() };
                return new Step(started, created.Where(a => a.Status == ExecutionStatuses.InProgress).ToList());
            }
        }

        var (checkedExecution, failedCondition) = await OnSuccessAsync(execution, stage, stagePlan, cancellationToken);
        if (failedCondition is not null)
        {
            return failedCondition;
        }

        execution = checkedExecution;
        var now = time.GetUtcNow();
        var succeeded = WithStage(execution, stage with { Status = ExecutionStatuses.Succeeded, LastUpdateTime = now });
        var next = execution.ExecutionType == ExecutionKinds.Rollback ? null : plan.After(stage.StageName);
        return next is null
            ? new Step(Finish(succeeded, ExecutionStatuses.Succeeded, null), [])
            : new Step(succeeded with { WaitingForStage = next.Name, LastUpdateTime = now }, []);
    }

    /// <summary>A stage whose action failed: V2's onFailure decides (RETRY once, ROLLBACK to the last execution that succeeded in it), FAIL otherwise.</summary>
    private async Task<Step> FailStageAsync(PipelineExecution execution, StageExecution stage, StagePlan stagePlan, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var failedAction = execution.Actions.Last(a => a.StageName == stage.StageName && a.Attempt == stage.Attempt && a.Status != ExecutionStatuses.Succeeded);
        (var onFailure, execution) = await OnFailureResultAsync(execution, stage, stagePlan, cancellationToken);
        if (onFailure == "RETRY" && stage.AutomaticRetries == 0)
        {
            var allActions = stagePlan.OnFailureRetryMode == ExecutionKinds.AllActions;
            var retried = stage with
            {
                Attempt = stage.Attempt + 1, FirstAttempt = allActions ? stage.Attempt + 1 : stage.FirstAttempt, AutomaticRetries = 1, LastUpdateTime = now,
            };
            return new Step(WithStage(execution, retried) with { LastUpdateTime = now }, []);
        }

        var summary = $"Action {failedAction.ActionName} in stage {stage.StageName} failed: {failedAction.ErrorMessage ?? failedAction.Status}";
        var failed = Finish(WithStage(execution, stage with { Status = ExecutionStatuses.Failed, LastUpdateTime = now }), ExecutionStatuses.Failed, summary);
        if (onFailure == "ROLLBACK" && execution.ExecutionType == ExecutionKinds.Standard && execution.ExecutionMode != ExecutionKinds.Parallel)
        {
            var target = await LastSucceededInStageAsync(execution.Scope, execution.PipelineName, stage.StageName, cancellationToken);
            if (target is not null)
            {
                return new Step(failed, [], RollbackTo: (target, stage.StageName));
            }
        }

        return new Step(failed, []);
    }

    private Step? StepStopping(PipelineExecution execution, DateTimeOffset now)
    {
        if (execution.Actions.Any(a => a.Status == ExecutionStatuses.InProgress && !a.IsApproval))
        {
            return null;
        }

        var actions = execution.Actions.Select(a => a.Status == ExecutionStatuses.InProgress
            ? a with { Status = ExecutionStatuses.Abandoned, LastUpdateTime = now }
            : a).ToList();
        foreach (var approval in execution.Actions.Where(a => a.Status == ExecutionStatuses.InProgress))
        {
            DisarmApproval(approval.ActionExecutionId);
        }

        var stopped = AbandonConditions(execution with { Actions = actions, WaitingForStage = null }, now);
        if (stopped.CurrentStage is { } stage)
        {
            stopped = WithStage(stopped, stage with { Status = ExecutionStatuses.Stopped, LastUpdateTime = now });
        }

        return new Step(Finish(stopped, ExecutionStatuses.Stopped, execution.StatusSummary), []);
    }

    private async Task AfterStepAsync(Step step, CancellationToken cancellationToken)
    {
        if (step.RollbackTo is { } rollback)
        {
            await CreateRollbackLockedAsync(rollback.Target, rollback.Stage, "AutomatedRollback", $"stage {rollback.Stage} of execution {step.Execution.ExecutionId} failed", cancellationToken);
        }
    }

    private async Task<PipelineExecution?> LastSucceededInStageAsync(PipelineScope scope, string pipelineName, string stageName, CancellationToken cancellationToken)
    {
        for (var skip = 0; ; skip += 100)
        {
            var page = await store.ListAsync(scope, pipelineName, skip, 100, cancellationToken);
            if (page.FirstOrDefault(e => e.Stage(stageName)?.Status == ExecutionStatuses.Succeeded) is { } found)
            {
                return found;
            }

            if (page.Count < 100)
            {
                return null;
            }
        }
    }

    /// <summary>The action's latest run that counts for the stage's current attempt (from <see cref="StageExecution.FirstAttempt"/> on).</summary>
    private static ActionExecution? LatestRun(PipelineExecution execution, StageExecution stage, string actionName) =>
        execution.Actions.LastOrDefault(a => a.StageName == stage.StageName && a.ActionName == actionName && a.Attempt >= stage.FirstAttempt);

    private PipelineExecution Finish(PipelineExecution execution, string status, string? summary)
    {
        var now = time.GetUtcNow();
        return execution with { Status = status, StatusSummary = summary, WaitingForStage = null, LastUpdateTime = now };
    }

    internal static PipelineExecution WithStage(PipelineExecution execution, StageExecution stage)
    {
        var stages = execution.Stages.ToList();
        var index = stages.FindLastIndex(s => s.StageName == stage.StageName);
        stages[index] = stage;
        return execution with { Stages = stages };
    }

    internal static PipelineExecution WithAction(PipelineExecution execution, ActionExecution action) =>
        execution with { Actions = execution.Actions.Select(a => a.ActionExecutionId == action.ActionExecutionId ? action : a).ToList() };

    private sealed record Step(PipelineExecution Execution, IReadOnlyList<ActionExecution> Launch, (PipelineExecution Target, string Stage)? RollbackTo = null);

    private sealed class Release(SemaphoreSlim gate, IAsyncDisposable shared) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await shared.DisposeAsync();
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>Runners for an engine built without a store of them (tests): this process alone, its gate its own.</summary>
    private sealed class LocalPipelineRunners : IPipelineRunners
    {
        private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

        public Task HeartbeatAsync(string runner, DateTimeOffset now, CancellationToken cancellationToken)
        {
            _seen[runner] = now;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyDictionary<string, DateTimeOffset>> ListAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(new Dictionary<string, DateTimeOffset>(_seen, StringComparer.Ordinal));

        public Task ForgetAsync(string runner, CancellationToken cancellationToken)
        {
            _seen.TryRemove(runner, out _);
            return Task.CompletedTask;
        }

        public Task<IAsyncDisposable> LockPipelineAsync(string accountId, string region, string pipelineName, CancellationToken cancellationToken) =>
            Task.FromResult<IAsyncDisposable>(NoLock.Instance);

        private sealed class NoLock : IAsyncDisposable
        {
            public static readonly NoLock Instance = new();

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
