using System.Text.Json.Nodes;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Pipelines.Executions;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>Executions, stage states and action executions in CodePipeline's JSON shapes; timestamps in epoch seconds.</summary>
internal static class CodePipelineExecutionJson
{
    public static JsonObject State(PipelineState state)
    {
        var first = state.Stages.Count > 0 ? state.Stages[0].Stage.Name : null;
        return new JsonObject
        {
            ["pipelineName"] = state.Pipeline.Name,
            ["pipelineVersion"] = state.Pipeline.Version,
            ["stageStates"] = Array(state.Stages.Select(s => Stage(s, s.Stage.Name == first))),
            ["created"] = Seconds(state.Pipeline.Created),
            ["updated"] = Seconds(state.Pipeline.Updated),
        };
    }

    private static JsonObject Stage(StageState state, bool first)
    {
        var stage = new JsonObject { ["stageName"] = state.Stage.Name };
        if (state.Inbound.Count > 0)
        {
            stage["inboundExecution"] = StageExecutionRef(state.Inbound[^1], ExecutionStatuses.InProgress);
            stage["inboundExecutions"] = Array(state.Inbound.Select(e => StageExecutionRef(e, ExecutionStatuses.InProgress)));
        }

        if (!first)
        {
            var transition = new JsonObject { ["enabled"] = state.Transition?.Enabled ?? true };
            if (state.Transition is { } changed)
            {
                transition["lastChangedBy"] = changed.LastChangedBy;
                transition["lastChangedAt"] = Seconds(changed.LastChangedAt);
                if (changed.DisabledReason is not null)
                {
                    transition["disabledReason"] = changed.DisabledReason;
                }
            }

            stage["inboundTransitionState"] = transition;
        }

        var latest = state.Latest;
        var run = latest?.Stage(state.Stage.Name);
        stage["actionStates"] = Array(state.Stage.Actions.Select(declared =>
        {
            var action = new JsonObject { ["actionName"] = declared.Name };
            var execution = latest?.Actions.LastOrDefault(a => a.StageName == state.Stage.Name && a.ActionName == declared.Name);
            if (execution is not null)
            {
                action["latestExecution"] = ActionState(execution);
                if (execution.Revision is { } revision)
                {
                    action["currentRevision"] = new JsonObject
                    {
                        ["revisionId"] = revision.RevisionId,
                        ["revisionChangeId"] = revision.RevisionId,
                        ["created"] = Seconds(revision.Created ?? execution.LastUpdateTime),
                    };
                }
            }

            return action;
        }));
        if (latest is not null && run is not null)
        {
            stage["latestExecution"] = new JsonObject
            {
                ["pipelineExecutionId"] = latest.ExecutionId, ["status"] = run.Status, ["type"] = latest.ExecutionType,
            };
            if (run.AutomaticRetries + run.ManualRetries > 0)
            {
                var retry = new JsonObject();
                if (run.AutomaticRetries > 0)
                {
                    retry["autoStageRetryAttempt"] = run.AutomaticRetries;
                }

                if (run.ManualRetries > 0)
                {
                    retry["manualStageRetryAttempt"] = run.ManualRetries;
                }

                retry["latestRetryTrigger"] = run.ManualRetries > 0 ? "ManualStageRetry" : "AutomatedStageRetry";
                stage["retryStageMetadata"] = retry;
            }
        }

        return stage;
    }

    private static JsonObject StageExecutionRef(PipelineExecution execution, string status) =>
        new() { ["pipelineExecutionId"] = execution.ExecutionId, ["status"] = status, ["type"] = execution.ExecutionType };

    private static JsonObject ActionState(ActionExecution action)
    {
        var state = new JsonObject
        {
            ["actionExecutionId"] = action.ActionExecutionId,
            ["status"] = action.Status,
            ["lastStatusChange"] = Seconds(action.LastUpdateTime),
        };
        Put(state, "summary", action.Summary);
        if (action.IsApproval && action.Status == ExecutionStatuses.InProgress)
        {
            Put(state, "token", action.Token);
        }

        Put(state, "lastUpdatedBy", action.UpdatedBy);
        Put(state, "externalExecutionId", action.ExternalExecutionId);
        Put(state, "externalExecutionUrl", action.ExternalExecutionUrl);
        if (action.ErrorCode is not null)
        {
            state["errorDetails"] = Error(action);
        }

        return state;
    }

    public static JsonObject Execution(PipelineExecution execution)
    {
        var result = new JsonObject
        {
            ["pipelineName"] = execution.PipelineName,
            ["pipelineVersion"] = execution.PipelineVersion,
            ["pipelineExecutionId"] = execution.ExecutionId,
            ["status"] = execution.Status,
        };
        Put(result, "statusSummary", execution.StatusSummary);
        result["artifactRevisions"] = Array(execution.SourceActions.Select(a =>
        {
            var revision = new JsonObject { ["name"] = a.Revision!.ArtifactName, ["revisionId"] = a.Revision.RevisionId, ["revisionChangeIdentifier"] = a.Revision.RevisionId };
            Put(revision, "revisionSummary", a.Revision.RevisionSummary);
            Put(revision, "revisionUrl", a.Revision.RevisionUrl);
            if (a.Revision.Created is { } created)
            {
                revision["created"] = Seconds(created);
            }

            return revision;
        }));
        result["variables"] = Array(execution.Variables.Select(v => new JsonObject { ["name"] = v.Name, ["resolvedValue"] = v.Value }));
        result["trigger"] = Trigger(execution);
        result["executionMode"] = execution.ExecutionMode;
        result["executionType"] = execution.ExecutionType;
        Rollback(result, execution);
        return result;
    }

    public static JsonObject Summary(PipelineExecution execution)
    {
        var summary = new JsonObject { ["pipelineExecutionId"] = execution.ExecutionId, ["status"] = execution.Status };
        Put(summary, "statusSummary", execution.StatusSummary);
        summary["startTime"] = Seconds(execution.StartTime);
        summary["lastUpdateTime"] = Seconds(execution.LastUpdateTime);
        summary["sourceRevisions"] = Array(execution.SourceActions.Select(a =>
        {
            var revision = new JsonObject { ["actionName"] = a.ActionName, ["revisionId"] = a.Revision!.RevisionId };
            Put(revision, "revisionSummary", a.Revision.RevisionSummary);
            Put(revision, "revisionUrl", a.Revision.RevisionUrl);
            return revision;
        }));
        summary["trigger"] = Trigger(execution);
        if (execution.StopReason is not null)
        {
            summary["stopTrigger"] = new JsonObject { ["reason"] = execution.StopReason };
        }

        summary["executionMode"] = execution.ExecutionMode;
        summary["executionType"] = execution.ExecutionType;
        Rollback(summary, execution);
        return summary;
    }

    public static JsonObject ActionDetail(ActionExecutionView view)
    {
        var (execution, action) = (view.Execution, view.Action);
        var input = new JsonObject
        {
            ["actionTypeId"] = new JsonObject
            {
                ["category"] = action.Type.Category, ["owner"] = action.Type.Owner, ["provider"] = action.Type.Provider, ["version"] = action.Type.Version,
            },
            ["configuration"] = Map(view.DeclaredConfiguration),
            ["resolvedConfiguration"] = Map(action.Configuration),
        };
        Put(input, "roleArn", action.RoleArn);
        Put(input, "region", action.Region);
        input["inputArtifacts"] = Artifacts(action.Inputs);
        Put(input, "namespace", action.Namespace);

        var result = new JsonObject();
        Put(result, "externalExecutionId", action.ExternalExecutionId);
        Put(result, "externalExecutionSummary", action.Summary);
        Put(result, "externalExecutionUrl", action.ExternalExecutionUrl);
        if (action.ErrorCode is not null)
        {
            result["errorDetails"] = Error(action);
        }

        var detail = new JsonObject
        {
            ["pipelineExecutionId"] = execution.ExecutionId,
            ["actionExecutionId"] = action.ActionExecutionId,
            ["pipelineVersion"] = execution.PipelineVersion,
            ["stageName"] = action.StageName,
            ["actionName"] = action.ActionName,
            ["startTime"] = Seconds(action.StartTime),
            ["lastUpdateTime"] = Seconds(action.LastUpdateTime),
        };
        Put(detail, "updatedBy", action.UpdatedBy);
        detail["status"] = action.Status;
        detail["input"] = input;
        detail["output"] = new JsonObject
        {
            ["outputArtifacts"] = Artifacts(action.Outputs),
            ["executionResult"] = result,
            ["outputVariables"] = Map(action.OutputVariables),
        };
        return detail;
    }

    private static JsonArray Artifacts(IEnumerable<ArtifactReference> artifacts) =>
        Array(artifacts.Select(a => new JsonObject { ["name"] = a.Name, ["s3location"] = new JsonObject { ["bucket"] = a.Store, ["key"] = a.Key } }));

    private static JsonObject Trigger(PipelineExecution execution) =>
        new() { ["triggerType"] = execution.Trigger.TriggerType, ["triggerDetail"] = execution.Trigger.TriggerDetail };

    private static void Rollback(JsonObject target, PipelineExecution execution)
    {
        if (execution.RollbackTarget is not null)
        {
            target["rollbackMetadata"] = new JsonObject { ["rollbackTargetPipelineExecutionId"] = execution.RollbackTarget };
        }
    }

    private static JsonObject Error(ActionExecution action) => new() { ["code"] = action.ErrorCode, ["message"] = action.ErrorMessage ?? action.ErrorCode };

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }

        return map;
    }

    private static JsonArray Array(IEnumerable<JsonObject> items) => new(items.Select(i => (JsonNode)i).ToArray());

    private static void Put(JsonObject target, string member, string? value)
    {
        if (value is not null)
        {
            target[member] = value;
        }
    }

    private static double Seconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;
}
