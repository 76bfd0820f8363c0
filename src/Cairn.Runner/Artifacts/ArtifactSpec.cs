namespace Cairn.Runner.Artifacts;

/// <summary>What to collect after a build: the buildspec's <c>artifacts</c> section (or one secondary artifact).</summary>
/// <param name="Identifier">Secondary artifact id, or null for the primary artifact.</param>
/// <param name="Name">Output name; defaults to the identifier, or "artifacts".</param>
public sealed record ArtifactSpec(
    IReadOnlyList<string> Files,
    string? BaseDirectory = null,
    bool DiscardPaths = false,
    IReadOnlyList<string>? ExcludePaths = null,
    string? Name = null,
    string? Identifier = null);
