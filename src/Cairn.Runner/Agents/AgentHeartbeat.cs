using Cairn.Core.Builds;

namespace Cairn.Runner.Agents;

/// <summary>The agent still runs the build: its lease is renewed, and its phases so far (from PROVISIONING on) are stored.</summary>
public sealed record AgentHeartbeat(string LeaseToken, IReadOnlyList<BuildPhaseRecord> Phases);
