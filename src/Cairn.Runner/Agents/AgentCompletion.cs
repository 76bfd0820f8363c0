using Cairn.Core.Builds;

namespace Cairn.Runner.Agents;

/// <summary>The build's end as the agent ran it: status, phases from PROVISIONING on, and exported variables.</summary>
public sealed record AgentCompletion(string LeaseToken, string Status, IReadOnlyList<BuildPhaseRecord> Phases, IReadOnlyList<ExportedVariable> ExportedVariables);
