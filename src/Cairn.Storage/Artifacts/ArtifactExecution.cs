namespace Cairn.Storage.Artifacts;

/// <summary>
/// A pipeline execution that holds archives in a store: every key under <see cref="Prefix"/> is one of its artifacts
/// (<see cref="ArtifactNames.ExecutionKeyPrefix"/>). What the artifact sweep looks at.
/// </summary>
public sealed record ArtifactExecution(string Store, string PipelineName, string ExecutionId)
{
    /// <summary>The key prefix of the execution's archives, ending in '/'.</summary>
    public string Prefix => ArtifactNames.ExecutionKeyPrefix(PipelineName, ExecutionId) + "/";
}
