using System.Text.Json.Nodes;
using Cairn.Core.Pipelines;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>
/// CreatePipeline's checks of a declaration, without a server: the model's shapes, AWS's defaults, the structure rules.
/// `cairn pipeline lint` runs them on a file so its first findings are exactly what CreatePipeline would answer.
/// </summary>
public static class PipelineDeclarationCheck
{
    /// <summary>The normalized declaration of CreatePipeline's <paramref name="input"/> ({"pipeline": ..., "tags": ...}); throws CreatePipeline's AwsException.</summary>
    public static JsonObject Check(JsonObject input, string region)
    {
        ArgumentNullException.ThrowIfNull(input);
        InputValidator.Validate(input, CodePipelineShapes.CreatePipeline);
        var normalized = PipelineDeclarations.Normalize(input["pipeline"]!.AsObject());
        PipelineStructure.Check(normalized, region);
        return normalized;
    }
}
