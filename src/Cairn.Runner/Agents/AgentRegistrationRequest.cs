namespace Cairn.Runner.Agents;

/// <summary>POST /_cairn/agents/register: a one-time registration token exchanged for an agent id and secret.</summary>
public sealed record AgentRegistrationRequest(string Token, string Name, IReadOnlyList<string> Labels);
