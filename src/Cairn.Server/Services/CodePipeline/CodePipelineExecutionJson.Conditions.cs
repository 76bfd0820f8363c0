using System.Text.Json.Nodes;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Pipelines.Conditions;
using Cairn.Core.Pipelines.Executions;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>Stage conditions on the wire: GetPipelineState's condition states, ListRuleExecutions' details, ListRuleTypes' rule types.</summary>
internal static partial class CodePipelineExecutionJson
{
    /// <summary>beforeEntryConditionState, onSuccessConditionState, onFailureConditionState for the conditions the stage declares, from the execution that entered it last.</summary>
    private static void ConditionStates(JsonObject stage, StagePlan plan, PipelineExecution? latest)
    {
        foreach (var (member, kind, condition) in new[]
        {
            ("beforeEntryConditionState", ConditionKinds.BeforeEntry, plan.BeforeEntry),
            ("onSuccessConditionState", ConditionKinds.OnSuccess, plan.OnSuccess),
            ("onFailureConditionState", ConditionKinds.OnFailure, plan.OnFailureCondition),
        })
        {
            if (condition is null)
            {
                continue;
            }

            var run = latest?.Condition(plan.Name, kind);
            var state = new JsonObject();
            if (run is not null)
            {
                var summary = new JsonObject { ["status"] = run.Status };
                Put(summary, "summary", run.Summary);
                state["latestExecution"] = summary;
            }

            var conditionState = new JsonObject();
            if (run is not null)
            {
                var execution = new JsonObject { ["status"] = run.Status };
                Put(execution, "summary", run.Summary);
                execution["lastStatusChange"] = Seconds(run.LastUpdateTime);
                conditionState["latestExecution"] = execution;
            }

            conditionState["ruleStates"] = Array(condition.Rules.Select(rule =>
            {
                var ruleState = new JsonObject { ["ruleName"] = rule.Name };
                if (run?.Rules.FirstOrDefault(r => r.RuleName == rule.Name) is { } ruleRun)
                {
                    var latestRule = new JsonObject
                    {
                        ["ruleExecutionId"] = ruleRun.RuleExecutionId,
                        ["status"] = ruleRun.Status,
                        ["lastStatusChange"] = Seconds(ruleRun.LastUpdateTime),
                    };
                    Put(latestRule, "summary", ruleRun.Summary);
                    Put(latestRule, "lastUpdatedBy", run.UpdatedBy);
                    if (ruleRun.ErrorCode is not null)
                    {
                        latestRule["errorDetails"] = new JsonObject { ["code"] = ruleRun.ErrorCode, ["message"] = ruleRun.ErrorMessage ?? ruleRun.ErrorCode };
                    }

                    ruleState["latestExecution"] = latestRule;
                }

                return ruleState;
            }));
            state["conditionStates"] = new JsonArray(conditionState);
            stage[member] = state;
        }
    }

    public static JsonObject RuleDetail(RuleExecutionView view)
    {
        var (execution, rule) = (view.Execution, view.Rule);
        var input = new JsonObject
        {
            ["ruleTypeId"] = new JsonObject { ["category"] = rule.Type.Category, ["owner"] = rule.Type.Owner, ["provider"] = rule.Type.Provider, ["version"] = rule.Type.Version },
            ["configuration"] = Map(rule.Configuration),
            ["resolvedConfiguration"] = Map(rule.ResolvedConfiguration),
        };
        Put(input, "roleArn", rule.RoleArn);
        Put(input, "region", rule.Region);
        input["inputArtifacts"] = new JsonArray();

        var result = new JsonObject();
        Put(result, "externalExecutionSummary", rule.Summary);
        if (rule.ErrorCode is not null)
        {
            result["errorDetails"] = new JsonObject { ["code"] = rule.ErrorCode, ["message"] = rule.ErrorMessage ?? rule.ErrorCode };
        }

        var detail = new JsonObject
        {
            ["pipelineExecutionId"] = execution.ExecutionId,
            ["ruleExecutionId"] = rule.RuleExecutionId,
            ["pipelineVersion"] = execution.PipelineVersion,
            ["stageName"] = view.Condition.StageName,
            ["ruleName"] = rule.RuleName,
            ["startTime"] = Seconds(rule.StartTime),
            ["lastUpdateTime"] = Seconds(rule.LastUpdateTime),
        };
        Put(detail, "updatedBy", view.Condition.UpdatedBy);
        detail["status"] = rule.Status;
        detail["input"] = input;
        detail["output"] = new JsonObject { ["executionResult"] = result };
        return detail;
    }

    public static JsonObject RuleType(RuleTypeDefinition type) => new()
    {
        ["id"] = new JsonObject
        {
            ["category"] = RuleTypeDefinition.Category, ["owner"] = RuleTypeDefinition.Owner, ["provider"] = type.Provider, ["version"] = RuleTypeDefinition.Version,
        },
        ["ruleConfigurationProperties"] = Array(type.Configuration.Select(p => new JsonObject
        {
            ["name"] = p.Name, ["required"] = p.Required, ["key"] = p.Key, ["secret"] = p.Secret, ["queryable"] = p.Queryable,
            ["description"] = p.Description, ["type"] = "String",
        })),
        ["inputArtifactDetails"] = new JsonObject { ["minimumCount"] = 0, ["maximumCount"] = type.MaxInputArtifacts },
    };
}
