namespace Cairn.Runner.Agents;

/// <summary>The answer to a registration: the agent's id and secret (shown once; the server keeps only its hash).</summary>
public sealed record AgentRegistration(string AgentId, string AgentSecret, string AccountId, IReadOnlyList<string> Labels);
