using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Pipelines.Executions;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>The execution operations: adapters over <see cref="Application.Pipelines.Executions.PipelineExecutionService"/>.</summary>
internal sealed partial class CodePipelineService
{
    private static readonly string[] ExecutionOperations =
    [
        "StartPipelineExecution", "StopPipelineExecution", "GetPipelineState", "GetPipelineExecution", "ListPipelineExecutions",
        "ListActionExecutions", "PutApprovalResult", "RetryStageExecution", "RollbackStage", "EnableStageTransition", "DisableStageTransition",
    ];

    private Task<JsonObject> InvokeExecutionsAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "StartPipelineExecution" => StartPipelineExecutionAsync(input, context, cancellationToken),
            "StopPipelineExecution" => StopPipelineExecutionAsync(input, context, cancellationToken),
            "GetPipelineState" => GetPipelineStateAsync(input, context, cancellationToken),
            "GetPipelineExecution" => GetPipelineExecutionAsync(input, context, cancellationToken),
            "ListPipelineExecutions" => ListPipelineExecutionsAsync(input, context, cancellationToken),
            "ListActionExecutions" => ListActionExecutionsAsync(input, context, cancellationToken),
            "PutApprovalResult" => PutApprovalResultAsync(input, context, cancellationToken),
            "RetryStageExecution" => RetryStageExecutionAsync(input, context, cancellationToken),
            "RollbackStage" => RollbackStageAsync(input, context, cancellationToken),
            "EnableStageTransition" => SetStageTransitionAsync(input, context, enabled: true, cancellationToken),
            "DisableStageTransition" => SetStageTransitionAsync(input, context, enabled: false, cancellationToken),
            _ => throw AwsErrors.UnknownOperation("CodePipeline", operation, Operations),
        };

    private Application.Pipelines.Executions.PipelineExecutionService Executions =>
        executions ?? throw AwsErrors.UnknownOperation("CodePipeline", "executions", Operations);

    private async Task<JsonObject> StartPipelineExecutionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.StartPipelineExecution);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in input["variables"]?.AsArray() ?? [])
        {
            var name = variable!["name"]!.GetValue<string>();
            if (!variables.TryAdd(name, variable["value"]!.GetValue<string>()))
            {
                throw AwsErrors.Validation($"Pipeline variable '{name}' is given twice; give each variable once.");
            }
        }

        var revisions = (input["sourceRevisions"]?.AsArray() ?? []).Select(r => new SourceRevisionPin(
            r!["actionName"]!.GetValue<string>(), r["revisionType"]!.GetValue<string>(), r["revisionValue"]!.GetValue<string>())).ToList();
        var execution = await Executions.StartAsync(context, Text(input, "name")!, variables, revisions, Text(input, "clientRequestToken"), cancellationToken);
        return new JsonObject { ["pipelineExecutionId"] = execution.ExecutionId };
    }

    private async Task<JsonObject> StopPipelineExecutionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.StopPipelineExecution);
        var stopped = await Executions.StopAsync(
            context, Text(input, "pipelineName")!, Text(input, "pipelineExecutionId")!, input["abandon"]?.GetValue<bool>() ?? false, Text(input, "reason"), cancellationToken);
        return new JsonObject { ["pipelineExecutionId"] = stopped.ExecutionId };
    }

    private async Task<JsonObject> GetPipelineStateAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.GetPipelineState);
        return CodePipelineExecutionJson.State(await Executions.GetStateAsync(context, Text(input, "name")!, cancellationToken));
    }

    private async Task<JsonObject> GetPipelineExecutionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.GetPipelineExecution);
        var execution = await Executions.GetExecutionAsync(context, Text(input, "pipelineName")!, Text(input, "pipelineExecutionId")!, cancellationToken);
        return new JsonObject { ["pipelineExecution"] = CodePipelineExecutionJson.Execution(execution) };
    }

    private async Task<JsonObject> ListPipelineExecutionsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.ListPipelineExecutions);
        var limit = Number(input, "maxResults") ?? DefaultPageSize;
        var skip = DecodeOffset(Text(input, "nextToken"));
        var stage = input["filter"]?["succeededInStage"]?["stageName"]?.GetValue<string>();
        var page = await Executions.ListExecutionsAsync(context, Text(input, "pipelineName")!, stage, skip, limit + 1, cancellationToken);
        var result = new JsonObject
        {
            ["pipelineExecutionSummaries"] = new JsonArray(page.Take(limit).Select(e => (JsonNode)CodePipelineExecutionJson.Summary(e)).ToArray()),
        };
        if (page.Count > limit)
        {
            result["nextToken"] = EncodeOffset(skip + limit);
        }

        return result;
    }

    private async Task<JsonObject> ListActionExecutionsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.ListActionExecutions);
        var limit = Number(input, "maxResults") ?? DefaultPageSize;
        var skip = DecodeOffset(Text(input, "nextToken"));
        var filter = input["filter"];
        var executionId = filter?["pipelineExecutionId"]?.GetValue<string>() ?? filter?["latestInPipelineExecution"]?["pipelineExecutionId"]?.GetValue<string>();
        var page = await Executions.ListActionExecutionsAsync(context, Text(input, "pipelineName")!, executionId, skip, limit + 1, cancellationToken);
        var result = new JsonObject
        {
            ["actionExecutionDetails"] = new JsonArray(page.Take(limit).Select(a => (JsonNode)CodePipelineExecutionJson.ActionDetail(a)).ToArray()),
        };
        if (page.Count > limit)
        {
            result["nextToken"] = EncodeOffset(skip + limit);
        }

        return result;
    }

    private async Task<JsonObject> PutApprovalResultAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.PutApprovalResult);
        var result = input["result"]!;
        var approvedAt = await Executions.PutApprovalResultAsync(
            context, Text(input, "pipelineName")!, Text(input, "stageName")!, Text(input, "actionName")!, Text(input, "token")!,
            result["status"]!.GetValue<string>() == "Approved", result["summary"]!.GetValue<string>(), cancellationToken);
        return new JsonObject { ["approvedAt"] = approvedAt.ToUnixTimeMilliseconds() / 1000.0 };
    }

    private async Task<JsonObject> RetryStageExecutionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.RetryStageExecution);
        var id = await Executions.RetryStageAsync(
            context, Text(input, "pipelineName")!, Text(input, "stageName")!, Text(input, "pipelineExecutionId")!, Text(input, "retryMode")!, cancellationToken);
        return new JsonObject { ["pipelineExecutionId"] = id };
    }

    private async Task<JsonObject> RollbackStageAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.RollbackStage);
        var id = await Executions.RollbackStageAsync(
            context, Text(input, "pipelineName")!, Text(input, "stageName")!, Text(input, "targetPipelineExecutionId")!, cancellationToken);
        return new JsonObject { ["pipelineExecutionId"] = id };
    }

    private async Task<JsonObject> SetStageTransitionAsync(JsonObject input, RequestContext context, bool enabled, CancellationToken cancellationToken)
    {
        Validate(input, enabled ? CodePipelineShapes.EnableStageTransition : CodePipelineShapes.DisableStageTransition);
        await Executions.SetTransitionAsync(
            context, Text(input, "pipelineName")!, Text(input, "stageName")!, Text(input, "transitionType")!, enabled, Text(input, "reason"), cancellationToken);
        return [];
    }
}
