using System.Text.Json.Nodes;
using Cairn.Core.Builds;

namespace Cairn.Server.Services.CodeBuild;

/// <summary>
/// A pipeline build in BatchGetBuilds as AWS shows it: secondarySources by sourceIdentifier with their S3 ARNs,
/// artifacts and secondaryArtifacts (by artifactIdentifier) with the ARN of each output once it is stored.
/// </summary>
internal static class PipelineBuildJson
{
    public static void Apply(JsonObject json, JsonObject settings, PipelineBuild pipeline)
    {
        json["secondarySources"] = settings["secondarySources"]?.DeepClone() ?? new JsonArray();
        json["secondarySourceVersions"] = new JsonArray(pipeline.Inputs.Skip(1).Select(input => (JsonNode)new JsonObject
        {
            ["sourceIdentifier"] = input.Name,
            ["sourceVersion"] = input.S3Arn,
        }).ToArray());
        if (pipeline.Outputs.Count == 0)
        {
            return;
        }

        json["artifacts"] = Artifact(pipeline.Outputs[0], null);
        json["secondaryArtifacts"] = new JsonArray(pipeline.Outputs.Skip(1).Select(output => (JsonNode)Artifact(output, output.Name)).ToArray());
    }

    private static JsonObject Artifact(PipelineArtifact output, string? identifier)
    {
        var json = new JsonObject { ["location"] = output.S3Arn ?? string.Empty };
        if (identifier is not null)
        {
            json["artifactIdentifier"] = identifier;
        }

        return json;
    }
}
