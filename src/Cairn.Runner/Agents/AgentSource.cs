namespace Cairn.Runner.Agents;

/// <summary>Where an agent fetches a build's source from and which buildspec it reads (a path in the source, or inline YAML).</summary>
public sealed record AgentSource(string Type, string? Location, string? Version, int? GitCloneDepth, bool InsecureSsl, string? Buildspec);
