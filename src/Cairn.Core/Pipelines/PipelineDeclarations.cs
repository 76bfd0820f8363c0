using System.Text.Json.Nodes;

namespace Cairn.Core.Pipelines;

/// <summary>A pipeline declaration as it is stored: AWS's defaults filled in, the version left out (the store keeps it).</summary>
public static class PipelineDeclarations
{
    public const string V1 = "V1";
    public const string V2 = "V2";
    public const string Superseded = "SUPERSEDED";

    /// <summary>
    /// A copy of <paramref name="declaration"/> with what AWS fills in on create and update: pipelineType V1 and
    /// executionMode SUPERSEDED when absent, each action's runOrder 1, inputArtifacts and outputArtifacts
    /// when absent; without <c>version</c>.
    /// </summary>
    public static JsonObject Normalize(JsonObject declaration)
    {
        var copy = declaration.DeepClone().AsObject();
        copy.Remove("version");
        copy["pipelineType"] ??= V1;
        copy["executionMode"] ??= Superseded;
        foreach (var stage in copy["stages"]!.AsArray())
        {
            foreach (var action in stage!["actions"]!.AsArray())
            {
                var declared = action!.AsObject();
                declared["runOrder"] ??= 1;
                declared["outputArtifacts"] ??= new JsonArray();
                declared["inputArtifacts"] ??= new JsonArray();
            }
        }

        return copy;
    }
}
