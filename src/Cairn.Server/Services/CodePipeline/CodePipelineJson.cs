using System.Text.Json.Nodes;
using Cairn.Core.Pipelines;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>Pipelines, action types and tags in CodePipeline's JSON shapes; timestamps in epoch seconds.</summary>
internal static class CodePipelineJson
{
    public static JsonObject Metadata(PipelineRecord pipeline) => new()
    {
        ["pipelineArn"] = pipeline.Arn,
        ["created"] = Seconds(pipeline.Created),
        ["updated"] = Seconds(pipeline.Updated),
    };

    public static JsonObject Summary(PipelineRecord pipeline) => new()
    {
        ["name"] = pipeline.Name,
        ["version"] = pipeline.Version,
        ["pipelineType"] = pipeline.PipelineType,
        ["executionMode"] = pipeline.ExecutionMode,
        ["created"] = Seconds(pipeline.Created),
        ["updated"] = Seconds(pipeline.Updated),
    };

    public static JsonObject ActionType(ActionTypeDefinition type) => new()
    {
        ["id"] = new JsonObject { ["category"] = type.Category, ["owner"] = type.Owner, ["provider"] = type.Provider, ["version"] = type.Version },
        ["actionConfigurationProperties"] = new JsonArray(type.Configuration.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Name,
            ["required"] = p.Required,
            ["key"] = p.Key,
            ["secret"] = p.Secret,
            ["queryable"] = p.Queryable,
            ["description"] = p.Description,
            ["type"] = "String",
        }).ToArray()),
        ["inputArtifactDetails"] = new JsonObject { ["minimumCount"] = type.Inputs.Min, ["maximumCount"] = type.Inputs.Max },
        ["outputArtifactDetails"] = new JsonObject { ["minimumCount"] = type.Outputs.Min, ["maximumCount"] = type.Outputs.Max },
    };

    public static JsonArray Tags(IEnumerable<PipelineTag> tags) =>
        new(tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray());

    public static List<PipelineTag> ReadTags(JsonNode? tags) =>
        tags?.AsArray().Select(t => new PipelineTag(t!["key"]!.GetValue<string>(), t["value"]!.GetValue<string>())).ToList() ?? [];

    private static double Seconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;
}
