using System.Text.Json.Nodes;

namespace Cairn.Application.Builds;

/// <summary>
/// A build to start: the project, and the StartBuild members that override its settings for this build only
/// (environmentVariablesOverride, sourceVersion, buildspecOverride, ...), named and shaped as CodeBuild's API names
/// them and already checked against its model.
/// </summary>
public sealed record StartBuildRequest(string ProjectName)
{
    /// <summary>The overriding members; empty runs the project as it is.</summary>
    public JsonObject Overrides { get; init; } = [];

    /// <summary>Repeating a request with the same token within 5 minutes returns the build it started.</summary>
    public string? IdempotencyToken { get; init; }
}
