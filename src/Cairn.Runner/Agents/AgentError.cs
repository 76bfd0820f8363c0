namespace Cairn.Runner.Agents;

/// <summary>An error answer on the agent endpoints: a code (AccessDenied, LeaseLost, ...) and a message that says what to do.</summary>
public sealed record AgentError(string Code, string Message);
