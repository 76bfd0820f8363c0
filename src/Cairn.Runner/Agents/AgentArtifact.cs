namespace Cairn.Runner.Agents;

/// <summary>
/// One artifact a build on an agent packaged and uploaded: <see cref="Path"/> is relative to the uploaded artifacts
/// directory ('/'-separated), a directory or a .zip; <see cref="Identifier"/> names a secondary artifact (null: the primary).
/// </summary>
public sealed record AgentArtifact(string Name, string? Identifier, string Path, IReadOnlyList<string> Files);
