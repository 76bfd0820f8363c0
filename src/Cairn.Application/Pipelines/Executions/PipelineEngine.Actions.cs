using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Application.Pipelines.Actions;
using Cairn.Core.Errors;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Artifacts;

namespace Cairn.Application.Pipelines.Executions;

public sealed partial class PipelineEngine
{
    /// <summary>
    /// The action execution for <paramref name="action"/> in the stage's current attempt: configuration resolved, inputs
    /// found. One that cannot start (an unresolvable variable, a provider no runner takes) is made Failed at once.
    /// </summary>
    private async Task<ActionExecution> NewActionExecutionAsync(
        PipelineExecution execution, StageExecution stage, PipelinePlan plan, ActionPlan action, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var done = await SucceededActionsAsync(execution, cancellationToken);
        var inputs = action.InputArtifacts
            .Select(name => done.SelectMany(a => a.Outputs).FirstOrDefault(o => o.Name == name) ?? new ArtifactReference(name, string.Empty, string.Empty))
            .ToList();
        var configuration = ExecutionVariables.Resolve(action.Configuration, (ns, key) => Lookup(execution, done, ns, key), out var unresolved);
        var created = new ActionExecution(
            Guid.NewGuid().ToString(), stage.StageName, action.Name, stage.Attempt, action.RunOrder, action.Type, ExecutionStatuses.InProgress, now, now,
            configuration ?? action.Configuration, inputs, [], new Dictionary<string, string>(),
            Namespace: action.Namespace, Region: action.Region ?? execution.Scope.Region, RoleArn: action.RoleArn ?? plan.RoleArn);

        if (unresolved is not null)
        {
            return Failed(created, "ConfigurationError",
                $"Unable to resolve the variable {unresolved} in the configuration of action '{action.Name}': " + WhyUnresolved(unresolved, plan, execution));
        }

        if (inputs.FirstOrDefault(i => i.Store.Length == 0) is { } missing)
        {
            return Failed(created, "ConfigurationError", $"Input artifact '{missing.Name}' of action '{action.Name}' was not produced by an earlier action of this execution.");
        }

        // A rollback's inputs are its target's artifacts, which the artifact sweep may have removed since.
        if (execution.RollbackTarget is { } target && await RemovedInputAsync(inputs, cancellationToken) is { } removed)
        {
            return Failed(created, "ConfigurationError", AwsErrors.RollbackArtifactRemoved(target, stage.StageName, removed.Name, options?.ArtifactRetentionDays).Message);
        }

        if (action.IsApproval)
        {
            return created with
            {
                Token = Guid.NewGuid().ToString(),
                Summary = ApprovalSummary(created.Configuration.GetValueOrDefault("CustomData"), done),
                ExternalExecutionUrl = created.Configuration.GetValueOrDefault("ExternalEntityLink"),
            };
        }

        if (!_runners.Any(r => r.CanRun(action.Type)))
        {
            var instead = ActionTypes.Find(action.Type.Category, action.Type.Owner, action.Type.Provider, action.Type.Version)?.Instead;
            return Failed(created, "ConfigurationError", instead is not null
                ? $"Action provider {action.Type.Provider} is not available in Cairn; use {instead}."
                : $"Action provider {action.Type.Provider} ({action.Type}) is not available in this Cairn server: no runner for it is registered.");
        }

        return created;
    }

    /// <summary>The first of <paramref name="inputs"/> the artifact store no longer holds (none without a store to ask).</summary>
    private async Task<ArtifactReference?> RemovedInputAsync(IEnumerable<ArtifactReference> inputs, CancellationToken cancellationToken)
    {
        if (artifacts is null)
        {
            return null;
        }

        foreach (var input in inputs.Where(i => i.Store.Length > 0))
        {
            if (!await artifacts.ExistsAsync(new ArtifactLocation(input.Store, input.Key), cancellationToken))
            {
                return input;
            }
        }

        return null;
    }

    /// <summary>
    /// What a waiting approval shows: its CustomData, then what the approver is approving — the commits the source
    /// actions fetched and any image digest an earlier action exported (a variable whose value holds "sha256:").
    /// AWS's summary holds at most 2048 characters.
    /// </summary>
    internal static string? ApprovalSummary(string? customData, IReadOnlyList<ActionExecution> done)
    {
        var subject = new List<string>();
        foreach (var source in done.Where(a => a.Revision is not null).Reverse())
        {
            var revision = source.Revision!;
            var commit = revision.RevisionId.Length > 12 ? revision.RevisionId[..12] : revision.RevisionId;
            var message = CommitMessage(revision.RevisionSummary);
            subject.Add(message is null ? $"commit {commit} ({source.ActionName})" : $"commit {commit} \"{message}\" ({source.ActionName})");
        }

        foreach (var action in done.Where(a => a.Revision is null).Reverse())
        {
            foreach (var (name, value) in action.OutputVariables.Where(v => v.Value.Contains("sha256:", StringComparison.Ordinal)).OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                subject.Add($"{action.Namespace ?? action.ActionName}.{name} = {value}");
            }
        }

        if (subject.Count == 0)
        {
            return customData;
        }

        var what = "Approving " + string.Join("; ", subject.Distinct(StringComparer.Ordinal)) + ".";
        var summary = string.IsNullOrEmpty(customData) ? what : customData + "\n" + what;
        return summary.Length <= 2048 ? summary : summary[..2045] + "...";
    }

    /// <summary>A source revision's commit message, first line and at most 72 characters: the summary is AWS's JSON ({"ProviderType", "CommitMessage"}) or the message itself.</summary>
    private static string? CommitMessage(string? revisionSummary)
    {
        var message = revisionSummary;
        if (revisionSummary is { Length: > 0 } && revisionSummary[0] == '{')
        {
            try
            {
                message = JsonNode.Parse(revisionSummary)?["CommitMessage"]?.GetValue<string>();
            }
            catch (Exception error) when (error is JsonException or InvalidOperationException)
            {
                message = null;
            }
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        var line = message.Trim().Split('\n')[0].TrimEnd('\r');
        return line.Length <= 72 ? line : line[..71] + "…";
    }

    /// <summary>The actions whose outputs and variables later actions may use, newest first (a rollback's target execution included).</summary>
    private async Task<List<ActionExecution>> SucceededActionsAsync(PipelineExecution execution, CancellationToken cancellationToken)
    {
        var sources = new List<PipelineExecution> { execution };
        if (execution.RollbackTarget is { } target && await store.GetAsync(execution.Scope, execution.PipelineName, target, cancellationToken) is { } earlier)
        {
            sources.Add(earlier);
        }

        return sources.SelectMany(s => s.Actions.Where(a => a.Status == ExecutionStatuses.Succeeded).Reverse()).ToList();
    }

    private static string? Lookup(PipelineExecution execution, IReadOnlyList<ActionExecution> done, string ns, string key) => ns switch
    {
        ExecutionVariables.CodePipelineNamespace => key == "PipelineExecutionId" ? execution.ExecutionId : null,
        ExecutionVariables.PipelineVariablesNamespace => execution.Variables.FirstOrDefault(v => v.Name == key)?.Value,
        _ => done.FirstOrDefault(a => a.Namespace == ns && a.OutputVariables.ContainsKey(key))?.OutputVariables[key],
    };

    private static string WhyUnresolved(string reference, PipelinePlan plan, PipelineExecution execution)
    {
        var inner = reference[2..^1];
        var ns = inner[..inner.IndexOf('.', StringComparison.Ordinal)];
        if (ns == ExecutionVariables.PipelineVariablesNamespace)
        {
            return plan.Variables.Count == 0
                ? "the pipeline declares no variables; add it to the declaration's \"variables\" (V2 pipelines)."
                : $"the pipeline's variables are {string.Join(", ", plan.Variables.Select(v => v.Name))}.";
        }

        if (ns == ExecutionVariables.CodePipelineNamespace)
        {
            return "the codepipeline namespace has PipelineExecutionId only.";
        }

        var producer = plan.Stages.SelectMany(s => s.Actions).FirstOrDefault(a => a.Namespace == ns);
        return producer is null
            ? $"no action declares the namespace '{ns}'; set \"namespace\": \"{ns}\" on the action whose output variables you mean."
            : execution.Actions.Any(a => a.ActionName == producer.Name && a.Status == ExecutionStatuses.Succeeded)
                ? $"action '{producer.Name}' (namespace {ns}) did not output that variable."
                : $"action '{producer.Name}' (namespace {ns}) has not run before this action: variables come only from actions of earlier stages or lower runOrder.";
    }

    private ActionExecution Failed(ActionExecution action, string code, string message) =>
        action with { Status = ExecutionStatuses.Failed, ErrorCode = code, ErrorMessage = message, LastUpdateTime = time.GetUtcNow() };

    /// <summary>
    /// Whether what this process says of the action counts: an approval is anyone's to answer; an action another server
    /// took over (this process was silent past its lease) is that server's now, and this one's late outcome is dropped.
    /// </summary>
    private bool RunsHere(ActionExecution action) => action.IsApproval || action.Runner is null || action.Runner == RunnerId;

    /// <summary>Runs a (non-approval) action in the background; what it says comes back through <see cref="CompleteActionAsync"/>.</summary>
    private void Launch(PipelineExecution execution, ActionExecution action)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        if (!_running.TryAdd(action.ActionExecutionId, cancel))
        {
            cancel.Dispose();
            return;
        }

        _tasks[action.ActionExecutionId] = Task.Run(() => RunActionAsync(execution, action, cancel));
    }

    private async Task RunActionAsync(PipelineExecution execution, ActionExecution action, CancellationTokenSource cancel)
    {
        ActionOutcome? outcome;
        try
        {
            outcome = await InvokeRunnerAsync(execution, action, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            if (_shutdown.IsCancellationRequested)
            {
                return;
            }

            outcome = null;
        }
        catch (Exception ex)
        {
            outcome = ActionOutcome.Failure("JobFailed", $"The action's runner failed inside Cairn ({ex.GetType().Name}: {ex.Message}); retry the stage, and report it if it happens again.");
        }
        finally
        {
            _running.TryRemove(action.ActionExecutionId, out _);
            _tasks.TryRemove(action.ActionExecutionId, out _);
            cancel.Dispose();
        }

        await CompleteActionAsync(execution.Scope, execution.PipelineName, execution.ExecutionId, action.ActionExecutionId, outcome, null, CancellationToken.None);
    }

    private async Task<ActionOutcome> InvokeRunnerAsync(PipelineExecution execution, ActionExecution action, CancellationToken cancellationToken)
    {
        var plan = await PlanOfAsync(execution.Scope, execution.PipelineName, execution.PipelineVersion, cancellationToken);
        var declared = plan?.Stage(action.StageName)?.Action(action.ActionName);
        if (plan is null || declared is null)
        {
            return ActionOutcome.Failure("ConfigurationError", $"Action '{action.ActionName}' is not in version {execution.PipelineVersion} of the pipeline any more.");
        }

        // As with any DI registration, the runner registered last wins: a host (or a test) overrides a module's runner by adding its own.
        var runner = _runners.LastOrDefault(r => r.CanRun(action.Type));
        if (runner is null)
        {
            return ActionOutcome.Failure("ConfigurationError", $"Action provider {action.Type.Provider} is not available in this Cairn server: no runner for it is registered.");
        }

        var (session, refusal) = await roles.AssumeAsync(action.RoleArn ?? plan.RoleArn, execution.Scope.Region, action.ActionExecutionId, cancellationToken);
        if (session is null)
        {
            return ActionOutcome.Failure("PermissionError", refusal!);
        }

        // environmentVariables are not kept on the action execution: resolved from the declaration when the runner starts.
        var declaredVariables = declared.EnvironmentVariables ?? [];
        var environment = new List<ActionEnvironmentVariable>();
        if (declaredVariables.Count > 0)
        {
            var done = await SucceededActionsAsync(execution, cancellationToken);
            foreach (var variable in declaredVariables)
            {
                var value = ExecutionVariables.Resolve(new Dictionary<string, string> { [variable.Name] = variable.Value }, (ns, key) => Lookup(execution, done, ns, key), out var unresolved);
                if (value is null)
                {
                    return ActionOutcome.Failure("ConfigurationError",
                        $"Unable to resolve the variable {unresolved} in environment variable {variable.Name} of action '{action.ActionName}': " + WhyUnresolved(unresolved!, plan, execution));
                }

                environment.Add(variable with { Value = value[variable.Name] });
            }
        }

        var store = plan.StoreFor(action.Region, execution.Scope.Region);
        var pin = execution.Trigger.SourceRevisions.FirstOrDefault(p => p.ActionName == action.ActionName);
        var run = new ActionRun(
            session, execution.Scope, execution.PipelineName, execution.PipelineVersion, execution.ExecutionId, action.StageName, action.ActionName,
            action.ActionExecutionId, action.Type, action.Configuration,
            action.Inputs.Select(i => new ActionArtifact(i.Name, new ArtifactLocation(i.Store, i.Key))).ToList(),
            declared.OutputArtifacts, store, ArtifactNames.ExecutionKeyPrefix(execution.PipelineName, execution.ExecutionId), action.Namespace, action.Region, declared.TimeoutInMinutes,
            pin is null ? null : new SourceRevisionRequest(pin.RevisionType, pin.RevisionValue),
            action.ExternalExecutionId, environment);
        return await runner.RunAsync(run, new Progress(this, execution, action.ActionExecutionId), cancellationToken);
    }

    /// <summary>Records how an action ended (null: abandoned) and moves the pipeline on; an action no longer in progress is left as it is.</summary>
    internal async Task CompleteActionAsync(
        PipelineScope scope, string pipelineName, string executionId, string actionExecutionId, ActionOutcome? outcome, string? updatedBy, CancellationToken cancellationToken)
    {
        await using var gate = await EnterAsync(scope, pipelineName, cancellationToken);
        var execution = await store.GetAsync(scope, pipelineName, executionId, cancellationToken);
        var action = execution?.Actions.FirstOrDefault(a => a.ActionExecutionId == actionExecutionId);
        if (execution is null || action is null || action.Status != ExecutionStatuses.InProgress || !RunsHere(action))
        {
            return;
        }

        var now = time.GetUtcNow();
        var ended = outcome switch
        {
            null => action with { Status = ExecutionStatuses.Abandoned, LastUpdateTime = now },
            { Succeeded: true } => action with
            {
                Status = ExecutionStatuses.Succeeded,
                Summary = outcome.Summary ?? action.Summary,
                Outputs = outcome.Outputs.Select(o => new ArtifactReference(o.Name, o.Location.Store, o.Location.Key)).ToList(),
                OutputVariables = outcome.OutputVariables.ToDictionary(StringComparer.Ordinal),
                ExternalExecutionId = outcome.ExternalExecutionId ?? action.ExternalExecutionId,
                ExternalExecutionUrl = outcome.ExternalExecutionUrl ?? action.ExternalExecutionUrl,
                Revision = outcome.Revision is { } r
                    ? new SourceRevisionRecord((outcome.Outputs.Count > 0 ? outcome.Outputs[0].Name : action.ActionName), r.RevisionId, r.RevisionSummary, r.RevisionUrl, r.Created)
                    : null,
                UpdatedBy = updatedBy,
                LastUpdateTime = now,
            },
            _ => action with
            {
                Status = ExecutionStatuses.Failed,
                Summary = outcome.Summary ?? action.Summary,
                ErrorCode = outcome.ErrorCode ?? "JobFailed",
                ErrorMessage = outcome.ErrorMessage,
                ExternalExecutionId = outcome.ExternalExecutionId ?? action.ExternalExecutionId,
                ExternalExecutionUrl = outcome.ExternalExecutionUrl ?? action.ExternalExecutionUrl,
                UpdatedBy = updatedBy,
                LastUpdateTime = now,
            },
        };
        DisarmApproval(actionExecutionId);
        await store.SaveAsync(WithAction(execution, ended) with { LastUpdateTime = now }, cancellationToken);
        await AdvanceLockedAsync(scope, pipelineName, cancellationToken);
    }

    private async Task ReportAsync(
        PipelineExecution execution, string actionExecutionId, string? externalExecutionId, string? externalExecutionUrl, string? summary, CancellationToken cancellationToken)
    {
        await using var gate = await EnterAsync(execution.Scope, execution.PipelineName, cancellationToken);
        var current = await store.GetAsync(execution.Scope, execution.PipelineName, execution.ExecutionId, cancellationToken);
        var action = current?.Actions.FirstOrDefault(a => a.ActionExecutionId == actionExecutionId);
        if (current is null || action is null || action.Status != ExecutionStatuses.InProgress || !RunsHere(action))
        {
            return;
        }

        var reported = action with
        {
            ExternalExecutionId = externalExecutionId ?? action.ExternalExecutionId,
            ExternalExecutionUrl = externalExecutionUrl ?? action.ExternalExecutionUrl,
            Summary = summary ?? action.Summary,
            LastUpdateTime = time.GetUtcNow(),
        };
        await store.SaveAsync(WithAction(current, reported), cancellationToken);
    }

    /// <summary>An approval fails when nobody answers it in time: its timeoutInMinutes, or 7 days.</summary>
    private async Task ArmApprovalTimeoutAsync(PipelineExecution execution, ActionExecution approval, CancellationToken cancellationToken)
    {
        var plan = await PlanOfAsync(execution.Scope, execution.PipelineName, execution.PipelineVersion, cancellationToken);
        var minutes = plan?.Stage(approval.StageName)?.Action(approval.ActionName)?.TimeoutInMinutes;
        var timeout = minutes is { } m ? TimeSpan.FromMinutes(m) : DefaultApprovalTimeout;
        var remaining = approval.StartTime + timeout - time.GetUtcNow();
        var failure = ActionOutcome.Failure("JobFailed", $"The approval was not answered within {Describe(timeout)}, so it failed; retry the stage to ask again.");
        void Expire(object? _) =>
            _tasks[approval.ActionExecutionId + "/timeout"] = Task.Run(async () =>
            {
                await CompleteActionAsync(execution.Scope, execution.PipelineName, execution.ExecutionId, approval.ActionExecutionId, failure, null, CancellationToken.None);
                _tasks.TryRemove(approval.ActionExecutionId + "/timeout", out Task? _);
            }, CancellationToken.None);

        if (remaining <= TimeSpan.Zero)
        {
            Expire(null);
            return;
        }

        var timer = time.CreateTimer(Expire, null, remaining, Timeout.InfiniteTimeSpan);
        if (_approvalTimers.TryGetValue(approval.ActionExecutionId, out var old))
        {
            await old.DisposeAsync();
        }

        _approvalTimers[approval.ActionExecutionId] = timer;
    }

    private static string Describe(TimeSpan timeout) =>
        timeout.TotalDays >= 1 && timeout.TotalDays == Math.Floor(timeout.TotalDays) ? $"{timeout.TotalDays} days" : $"{timeout.TotalMinutes} minutes";

    private void DisarmApproval(string actionExecutionId)
    {
        if (_approvalTimers.TryRemove(actionExecutionId, out var timer))
        {
            timer.Dispose();
        }
    }

    private void CancelAction(string actionExecutionId)
    {
        DisarmApproval(actionExecutionId);
        if (_running.TryGetValue(actionExecutionId, out var cancel))
        {
            try
            {
                cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The action ended meanwhile.
            }
        }
    }

    /// <summary>What a runner says while it runs: saved at once.</summary>
    private sealed class Progress(PipelineEngine engine, PipelineExecution execution, string actionExecutionId) : IActionProgress
    {
        public Task ReportAsync(string? externalExecutionId, string? externalExecutionUrl, string? summary, CancellationToken cancellationToken) =>
            engine.ReportAsync(execution, actionExecutionId, externalExecutionId, externalExecutionUrl, summary, cancellationToken);

        public void Log(string line) => engine.Activity.Add(execution.ExecutionId, line);
    }
}
