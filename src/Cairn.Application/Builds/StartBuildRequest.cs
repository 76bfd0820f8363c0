using System.Text.Json.Nodes;
using Cairn.Core.Builds;

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

    /// <summary>
    /// Set by a pipeline's CodeBuild action only (in-process; no StartBuild member maps to it): the build takes its
    /// source from the pipeline's input artifacts, writes its outputs to the artifact store, and its initiator is
    /// codepipeline/&lt;pipeline&gt;.
    /// </summary>
    public PipelineBuild? Pipeline { get; init; }

    /// <summary>Repeating a request with the same token within 5 minutes returns the build it started.</summary>
    public string? IdempotencyToken { get; init; }
}
