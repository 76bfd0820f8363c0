using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>The stage-condition operations: ListRuleTypes, ListRuleExecutions, OverrideStageCondition.</summary>
internal sealed partial class CodePipelineService
{
    private static readonly string[] ConditionOperations = ["ListRuleTypes", "ListRuleExecutions", "OverrideStageCondition"];

    private Task<JsonObject> InvokeConditionsAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "ListRuleTypes" => ListRuleTypesAsync(input, context, cancellationToken),
            "ListRuleExecutions" => ListRuleExecutionsAsync(input, context, cancellationToken),
            "OverrideStageCondition" => OverrideStageConditionAsync(input, context, cancellationToken),
            _ => throw AwsErrors.UnknownOperation("CodePipeline", operation, Operations),
        };

    /// <summary>One page, like ListActionTypes: the rule types are AWS's, the same whatever regionFilter says.</summary>
    private async Task<JsonObject> ListRuleTypesAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.ListRuleTypes);
        var types = await pipelines.ListRuleTypesAsync(context, cancellationToken);
        return new JsonObject { ["ruleTypes"] = new JsonArray(types.Select(t => (JsonNode)CodePipelineExecutionJson.RuleType(t)).ToArray()) };
    }

    private async Task<JsonObject> ListRuleExecutionsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.ListRuleExecutions);
        var limit = Number(input, "maxResults") ?? DefaultPageSize;
        var skip = DecodeOffset(Text(input, "nextToken"));
        var filter = input["filter"];
        var executionId = filter?["pipelineExecutionId"]?.GetValue<string>() ?? filter?["latestInPipelineExecution"]?["pipelineExecutionId"]?.GetValue<string>();
        var page = await Executions.ListRuleExecutionsAsync(context, Text(input, "pipelineName")!, executionId, skip, limit + 1, cancellationToken);
        var result = new JsonObject
        {
            ["ruleExecutionDetails"] = new JsonArray(page.Take(limit).Select(r => (JsonNode)CodePipelineExecutionJson.RuleDetail(r)).ToArray()),
        };
        if (page.Count > limit)
        {
            result["nextToken"] = EncodeOffset(skip + limit);
        }

        return result;
    }

    private async Task<JsonObject> OverrideStageConditionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.OverrideStageCondition);
        await Executions.OverrideStageConditionAsync(
            context, Text(input, "pipelineName")!, Text(input, "stageName")!, Text(input, "pipelineExecutionId")!, Text(input, "conditionType")!, cancellationToken);
        return [];
    }
}
