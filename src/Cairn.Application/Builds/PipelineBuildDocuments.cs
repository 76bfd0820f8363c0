using System.Text.Json.Nodes;
using Cairn.Core.Builds;

namespace Cairn.Application.Builds;

/// <summary>
/// A pipeline build's settings as CodeBuild shows them: source {type CODEPIPELINE, location: the primary input's S3 ARN},
/// secondarySources named by artifact (sourceIdentifier), artifacts {type CODEPIPELINE} and secondaryArtifacts named
/// by output (artifactIdentifier) when there are several outputs. The project's buildspec stays what it was.
/// </summary>
public static class PipelineBuildDocuments
{
    public static JsonObject Apply(JsonObject document, PipelineBuild pipeline)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(pipeline);
        var applied = (JsonObject)document.DeepClone();
        var buildspec = (applied["source"] as JsonObject)?["buildspec"]?.DeepClone();
        var source = new JsonObject { ["type"] = SourceTypes.CodePipeline, ["location"] = pipeline.Inputs[0].S3Arn };
        if (buildspec is not null)
        {
            source["buildspec"] = buildspec;
        }

        applied["source"] = source;
        applied["secondarySources"] = new JsonArray(pipeline.Inputs.Skip(1).Select(input => (JsonNode)new JsonObject
        {
            ["type"] = SourceTypes.CodePipeline,
            ["location"] = input.S3Arn,
            ["sourceIdentifier"] = input.Name,
        }).ToArray());
        applied["artifacts"] = pipeline.Outputs.Count == 0
            ? new JsonObject { ["type"] = "NO_ARTIFACTS" }
            : new JsonObject { ["type"] = SourceTypes.CodePipeline, ["name"] = pipeline.Outputs[0].Name, ["packaging"] = "NONE" };
        applied["secondaryArtifacts"] = new JsonArray(pipeline.Outputs.Skip(1).Select(output => (JsonNode)new JsonObject
        {
            ["type"] = SourceTypes.CodePipeline,
            ["artifactIdentifier"] = output.Name,
            ["name"] = output.Name,
        }).ToArray());
        applied.Remove("secondarySourceVersions");
        return applied;
    }
}
