namespace Cairn.Runner.Artifacts;

/// <summary>Where an artifact was written and which source-relative files it holds.</summary>
public sealed record ArtifactResult(string Name, string Location, IReadOnlyList<string> Files)
{
    /// <summary>The secondary artifact's identifier in the buildspec; null for the primary artifacts.</summary>
    public string? Identifier { get; init; }
}
