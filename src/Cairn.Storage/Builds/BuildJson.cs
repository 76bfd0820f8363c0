using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Builds;

namespace Cairn.Storage.Builds;

/// <summary>How a build's phases, exported variables and pipeline artifacts are kept in JSON columns, alike in every backend.</summary>
public static class BuildJson
{
    public static string Phases(IReadOnlyList<BuildPhaseRecord> phases) => new JsonArray(phases.Select(p =>
    {
        var node = new JsonObject { ["type"] = p.PhaseType, ["start"] = p.StartTime.ToUnixTimeMilliseconds() };
        if (p.PhaseStatus is not null)
        {
            node["status"] = p.PhaseStatus;
        }

        if (p.EndTime is { } end)
        {
            node["end"] = end.ToUnixTimeMilliseconds();
        }

        if (p.Contexts is { } contexts)
        {
            node["contexts"] = new JsonArray(contexts.Select(c => (JsonNode)new JsonObject { ["code"] = c.StatusCode, ["message"] = c.Message }).ToArray());
        }

        if (p.Hint is { } hint)
        {
            node["hint"] = hint;
        }

        if (p.FirstLogLine is { } line)
        {
            node["line"] = line;
        }

        return (JsonNode)node;
    }).ToArray()).ToJsonString();

    public static IReadOnlyList<BuildPhaseRecord> ReadPhases(string json) => JsonNode.Parse(json)!.AsArray().Select(n =>
    {
        var node = n!.AsObject();
        return new BuildPhaseRecord(
            node["type"]!.GetValue<string>(),
            Time(node["start"]!),
            node["status"]?.GetValue<string>(),
            node["end"] is { } end ? Time(end) : null,
            node["contexts"] is JsonArray contexts
                ? contexts.Select(c => new PhaseContext(c!["code"]!.GetValue<string>(), c["message"]!.GetValue<string>())).ToList()
                : null,
            node["hint"]?.GetValue<string>(),
            node["line"]?.GetValue<long>());
    }).ToList();

    // [["NAME","value"], ...] through JsonNode, as the phases: the reflection-based serializer's first use cost `cairn build` tens of ms of start-up.
    public static string Variables(IReadOnlyList<ExportedVariable> variables) =>
        new JsonArray(variables.Select(v => (JsonNode)new JsonArray(v.Name, v.Value)).ToArray()).ToJsonString();

    public static IReadOnlyList<ExportedVariable> ReadVariables(string json) =>
        JsonNode.Parse(json) is JsonArray pairs
            ? pairs.Select(pair => new ExportedVariable(pair![0]!.GetValue<string>(), pair[1]!.GetValue<string>())).ToList()
            : [];

    /// <summary>A pipeline build's artifacts as JSON, or null for a build no pipeline started.</summary>
    public static string? Pipeline(PipelineBuild? pipeline) => pipeline is null ? null : JsonSerializer.Serialize(pipeline, PipelineOptions);

    public static PipelineBuild? ReadPipeline(string? json) => json is null ? null : JsonSerializer.Deserialize<PipelineBuild>(json, PipelineOptions);

    private static readonly JsonSerializerOptions PipelineOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static DateTimeOffset Time(JsonNode node) => DateTimeOffset.FromUnixTimeMilliseconds(node.GetValue<long>());
}
