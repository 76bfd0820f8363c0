using Cairn.Core.Builds;
using Cairn.Runner.Artifacts;
using Cairn.Runner.Reports;

namespace Cairn.Runner.Builds;

/// <summary>
/// A finished run of the executor: the build's status (a <see cref="BuildStatuses"/> value), its phases as the build
/// record keeps them, its exported variables, and the artifacts and report summaries produced locally.
/// </summary>
public sealed record BuildResult(
    string Id,
    string Arn,
    long BuildNumber,
    string ProjectName,
    string Initiator,
    string Status,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    IReadOnlyList<BuildPhaseRecord> Phases,
    IReadOnlyList<ExportedVariable> ExportedVariables,
    IReadOnlyList<ArtifactResult> Artifacts,
    IReadOnlyList<ReportSummary> Reports)
{
    public bool Succeeded => Status == BuildStatuses.Succeeded;

    public TimeSpan Duration => EndTime - StartTime;

    /// <summary>The first phase that did not succeed, or null.</summary>
    public BuildPhaseRecord? FailedPhase => Phases.FirstOrDefault(p => p.PhaseStatus is { } s && s != BuildStatuses.Succeeded);

    public BuildPhaseRecord? Phase(string type) => Phases.LastOrDefault(p => p.PhaseType == type);
}
