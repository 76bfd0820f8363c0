namespace Cairn.Runner.Agents;

/// <summary>Asks for one of a pipeline build's input artifacts by its name in the pipeline (<see cref="AgentAssignment.Inputs"/>).</summary>
public sealed record AgentInputRequest(string LeaseToken, string Name);
