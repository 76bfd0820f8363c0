using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Pipelines;

namespace Cairn.Application.Pipelines.Executions;

/// <summary>
/// Pipeline executions as a caller sees them: start, stop, read state and history, approve, retry, roll back and hold
/// transitions, authorized as CodePipeline authorizes them (codepipeline:&lt;Action&gt; on the pipeline's ARN; on the
/// stage's ARN, <c>pipeline/stage</c>, for retry, rollback and transitions; on the action's, <c>pipeline/stage/action</c>,
/// for PutApprovalResult). Input is checked before anything changes; the <see cref="PipelineEngine"/> does the rest.
/// </summary>
public sealed class PipelineExecutionService(IPipelineStore pipelines, IPipelineExecutionStore executions, PipelineEngine engine, IAuthorizer authorizer)
{
    public async Task<PipelineExecution> StartAsync(
        RequestContext context, string name, IReadOnlyDictionary<string, string> variables, IReadOnlyList<SourceRevisionPin> sourceRevisions,
        string? clientRequestToken, CancellationToken cancellationToken)
    {
        var pipeline = await AuthorizedPipelineAsync(context, "StartPipelineExecution", name, cancellationToken);
        var plan = engine.PlanOf(pipeline);
        foreach (var given in variables.Keys.Where(k => plan.Variables.All(v => v.Name != k)))
        {
            throw AwsErrors.UnknownPipelineVariable(given, name, plan.Variables.Select(v => v.Name));
        }

        if (plan.Variables.FirstOrDefault(v => v.DefaultValue is null && !variables.ContainsKey(v.Name)) is { } required)
        {
            throw AwsErrors.PipelineVariableWithoutValue(required.Name, name);
        }

        var sources = plan.Stages[0].Actions.Where(a => a.Type.Category == ActionTypes.Source).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        if (sourceRevisions.FirstOrDefault(r => !sources.Contains(r.ActionName)) is { } unknown)
        {
            throw AwsErrors.UnknownSourceAction(unknown.ActionName, name);
        }

        var trigger = new ExecutionTriggerRecord("StartPipelineExecution", context.Principal.Arn, sourceRevisions);
        return await engine.StartAsync(pipeline, trigger, variables, clientRequestToken, cancellationToken);
    }

    public async Task<PipelineExecution> StopAsync(
        RequestContext context, string name, string executionId, bool abandon, string? reason, CancellationToken cancellationToken)
    {
        var pipeline = await AuthorizedPipelineAsync(context, "StopPipelineExecution", name, cancellationToken);
        return await engine.StopAsync(pipeline.Scope, name, executionId, abandon, reason, cancellationToken);
    }

    public async Task<PipelineState> GetStateAsync(RequestContext context, string name, CancellationToken cancellationToken)
    {
        var pipeline = await AuthorizedPipelineAsync(context, "GetPipelineState", name, cancellationToken);
        var latest = await executions.LatestStageExecutionsAsync(pipeline.Scope, name, cancellationToken);
        var loaded = new Dictionary<string, PipelineExecution>(StringComparer.Ordinal);
        foreach (var id in latest.Values.Distinct())
        {
            if (await executions.GetAsync(pipeline.Scope, name, id, cancellationToken) is { } execution)
            {
                loaded[id] = execution;
            }
        }

        var active = await executions.ListActiveAsync(pipeline.Scope, name, cancellationToken);
        var transitions = await executions.ListTransitionsAsync(pipeline.Scope, name, cancellationToken);
        var stages = engine.PlanOf(pipeline).Stages.Select(stage => new StageState(
            stage,
            latest.TryGetValue(stage.Name, out var id) && loaded.TryGetValue(id, out var execution) ? execution : null,
            active.Where(e => e.WaitingForStage == stage.Name).ToList(),
            transitions.FirstOrDefault(t => t.StageName == stage.Name))).ToList();
        return new PipelineState(pipeline, stages);
    }

    public async Task<PipelineExecution> GetExecutionAsync(RequestContext context, string name, string executionId, CancellationToken cancellationToken)
    {
        var pipeline = await AuthorizedPipelineAsync(context, "GetPipelineExecution", name, cancellationToken);
        return await executions.GetAsync(pipeline.Scope, name, executionId, cancellationToken) ?? throw AwsErrors.PipelineExecutionNotFound(executionId, name);
    }

    /// <summary>Newest first; <paramref name="succeededInStage"/> keeps the executions that succeeded in that stage.</summary>
    public async Task<IReadOnlyList<PipelineExecution>> ListExecutionsAsync(
        RequestContext context, string name, string? succeededInStage, int skip, int limit, CancellationToken cancellationToken)
    {
        var pipeline = await AuthorizedPipelineAsync(context, "ListPipelineExecutions", name, cancellationToken);
        if (succeededInStage is null)
        {
            return await executions.ListAsync(pipeline.Scope, name, skip, limit, cancellationToken);
        }

        var found = new List<PipelineExecution>();
        for (var offset = 0; found.Count < skip + limit; offset += 200)
        {
            var page = await executions.ListAsync(pipeline.Scope, name, offset, 200, cancellationToken);
            found.AddRange(page.Where(e => e.Stage(succeededInStage)?.Status == ExecutionStatuses.Succeeded));
            if (page.Count < 200)
            {
                break;
            }
        }

        return found.Skip(skip).Take(limit).ToList();
    }

    /// <summary>Action executions, newest first: of one execution, or of the pipeline's recent executions; each with its configuration as declared.</summary>
    public async Task<IReadOnlyList<ActionExecutionView>> ListActionExecutionsAsync(
        RequestContext context, string name, string? executionId, int skip, int limit, CancellationToken cancellationToken)
    {
        var pipeline = await AuthorizedPipelineAsync(context, "ListActionExecutions", name, cancellationToken);
        IReadOnlyList<PipelineExecution> source = executionId is null
            ? await executions.ListAsync(pipeline.Scope, name, 0, 100, cancellationToken)
            : [await executions.GetAsync(pipeline.Scope, name, executionId, cancellationToken) ?? throw AwsErrors.PipelineExecutionNotFound(executionId, name)];
        var page = source
            .SelectMany(e => e.Actions.Reverse().Select(a => (Execution: e, Action: a)))
            .OrderByDescending(p => p.Action.StartTime)
            .Skip(skip).Take(limit).ToList();
        var views = new List<ActionExecutionView>();
        foreach (var (execution, action) in page)
        {
            var plan = await engine.PlanOfAsync(pipeline.Scope, name, execution.PipelineVersion, cancellationToken);
            var declared = plan?.Stage(action.StageName)?.Action(action.ActionName)?.Configuration ?? action.Configuration;
            views.Add(new ActionExecutionView(execution, action, declared));
        }

        return views;
    }

    public async Task<DateTimeOffset> PutApprovalResultAsync(
        RequestContext context, string name, string stageName, string actionName, string token, bool approved, string summary, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        await AuthorizeAsync(context, "PutApprovalResult", $"{scope.PipelineArn(name)}/{stageName}/{actionName}", cancellationToken);
        var pipeline = await PipelineAsync(scope, name, cancellationToken);
        var stage = StageOf(pipeline, stageName);
        if (stage.Action(actionName) is not { } action || !action.IsApproval)
        {
            throw AwsErrors.ActionNotFound(actionName, stageName, stage.Actions.Where(a => a.IsApproval).Select(a => a.Name));
        }

        return await engine.PutApprovalResultAsync(scope, name, stageName, actionName, token, approved, summary, context.Principal.Arn, cancellationToken);
    }

    public async Task<string> RetryStageAsync(
        RequestContext context, string name, string stageName, string executionId, string retryMode, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        await AuthorizeAsync(context, "RetryStageExecution", $"{scope.PipelineArn(name)}/{stageName}", cancellationToken);
        StageOf(await PipelineAsync(scope, name, cancellationToken), stageName);
        return await engine.RetryStageAsync(scope, name, stageName, executionId, retryMode, cancellationToken);
    }

    public async Task<string> RollbackStageAsync(
        RequestContext context, string name, string stageName, string targetExecutionId, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        await AuthorizeAsync(context, "RollbackStage", $"{scope.PipelineArn(name)}/{stageName}", cancellationToken);
        var pipeline = await PipelineAsync(scope, name, cancellationToken);
        StageOf(pipeline, stageName);
        return await engine.RollbackStageAsync(pipeline, stageName, targetExecutionId, context.Principal.Arn, cancellationToken);
    }

    /// <summary>
    /// Enables or disables a stage's transition: Inbound is the one into <paramref name="stageName"/>, Outbound the one
    /// out of it (the next stage's inbound).
    /// </summary>
    public async Task SetTransitionAsync(
        RequestContext context, string name, string stageName, string transitionType, bool enabled, string? reason, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        await AuthorizeAsync(context, enabled ? "EnableStageTransition" : "DisableStageTransition", $"{scope.PipelineArn(name)}/{stageName}", cancellationToken);
        var pipeline = await PipelineAsync(scope, name, cancellationToken);
        var stage = StageOf(pipeline, stageName);
        var target = stage.Name;
        if (transitionType == "Outbound")
        {
            target = engine.PlanOf(pipeline).After(stage.Name)?.Name
                ?? throw AwsErrors.Validation($"Stage '{stageName}' is the last stage of pipeline '{name}', so it has no outbound transition; give transitionType Inbound for the transition into it.");
        }

        await engine.SetTransitionAsync(scope, name, target, enabled, reason, context.Principal.Arn, cancellationToken);
    }

    private StagePlan StageOf(PipelineRecord pipeline, string stageName)
    {
        var plan = engine.PlanOf(pipeline);
        return plan.Stage(stageName) ?? throw AwsErrors.StageNotFound(stageName, pipeline.Name, plan.Stages.Select(s => s.Name));
    }

    private async Task<PipelineRecord> AuthorizedPipelineAsync(RequestContext context, string action, string name, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        await AuthorizeAsync(context, action, scope.PipelineArn(name), cancellationToken);
        return await PipelineAsync(scope, name, cancellationToken);
    }

    private async Task<PipelineRecord> PipelineAsync(PipelineScope scope, string name, CancellationToken cancellationToken) =>
        (await pipelines.GetAsync(scope, name, null, cancellationToken))?.Pipeline ?? throw AwsErrors.PipelineNotFound(name, scope.AccountId);

    private static PipelineScope ScopeOf(RequestContext context) => new(context.AccountId, context.Region);

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "codepipeline:" + action, resourceArn, cancellationToken);
}

/// <summary>GetPipelineState's answer: the pipeline's latest version and, per stage, what ran there last.</summary>
public sealed record PipelineState(PipelineRecord Pipeline, IReadOnlyList<StageState> Stages);

/// <summary>A stage: the execution that entered it last, the executions waiting to enter it, and its inbound transition when it was ever changed.</summary>
public sealed record StageState(StagePlan Stage, PipelineExecution? Latest, IReadOnlyList<PipelineExecution> Inbound, StageTransition? Transition);

/// <summary>An action execution with its execution and the configuration as the pipeline declared it (before variables were resolved).</summary>
public sealed record ActionExecutionView(PipelineExecution Execution, ActionExecution Action, IReadOnlyDictionary<string, string> DeclaredConfiguration);
