using System.Text.Json.Nodes;

namespace Cairn.Core.Pipelines;

/// <summary>
/// A stored pipeline at one version: its declaration (the PipelineDeclaration JSON, without its <c>version</c> member,
/// which is <see cref="Version"/>), when the pipeline was created and when this version was stored, and its tags.
/// </summary>
public sealed record PipelineRecord(
    PipelineScope Scope, string Name, string Declaration, int Version, DateTimeOffset Created, DateTimeOffset Updated, IReadOnlyList<PipelineTag> Tags)
{
    public string Arn => Scope.PipelineArn(Name);

    /// <summary>The declaration as AWS returns it: a fresh copy with <c>version</c> set.</summary>
    public JsonObject ToDeclaration()
    {
        var declaration = JsonNode.Parse(Declaration)!.AsObject();
        declaration["version"] = Version;
        return declaration;
    }

    /// <summary>V1 or V2 (the declaration always carries one: <see cref="PipelineDeclarations.Normalize"/> fills it).</summary>
    public string PipelineType => ToDeclaration()["pipelineType"]?.GetValue<string>() ?? PipelineDeclarations.V1;

    public string ExecutionMode => ToDeclaration()["executionMode"]?.GetValue<string>() ?? PipelineDeclarations.Superseded;
}
