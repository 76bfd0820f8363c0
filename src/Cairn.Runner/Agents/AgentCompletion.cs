using Cairn.Core.Builds;
using Cairn.Runner.Reports;

namespace Cairn.Runner.Agents;

/// <summary>
/// The build's end as the agent ran it: status, phases from PROVISIONING on, and exported variables; the artifacts it
/// uploaded before (paths relative to the uploaded directory) and its report groups' summaries, which the server stores
/// as the build's role (<see cref="SessionAccessKeyId"/>, the role session's key id the assignment carried).
/// </summary>
public sealed record AgentCompletion(string LeaseToken, string Status, IReadOnlyList<BuildPhaseRecord> Phases, IReadOnlyList<ExportedVariable> ExportedVariables)
{
    public IReadOnlyList<AgentArtifact> Artifacts { get; init; } = [];

    public IReadOnlyList<ReportSummary> Reports { get; init; } = [];

    public string? SessionAccessKeyId { get; init; }
}
