using Cairn.Runner.Artifacts;
using Cairn.Runner.Phases;
using Cairn.Runner.Reports;

namespace Cairn.Runner.Builds;

/// <summary>A finished build, shaped like CodeBuild's Build, plus the artifacts and report summaries produced locally.</summary>
public sealed record BuildResult(
    string Id,
    string Arn,
    long BuildNumber,
    string ProjectName,
    string Initiator,
    PhaseStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    IReadOnlyList<BuildPhaseResult> Phases,
    IReadOnlyList<ExportedVariable> ExportedVariables,
    IReadOnlyList<ArtifactResult> Artifacts,
    IReadOnlyList<ReportSummary> Reports)
{
    public bool Succeeded => Status == PhaseStatus.Succeeded;

    public TimeSpan Duration => EndTime - StartTime;

    /// <summary>The first phase that did not succeed, or null.</summary>
    public BuildPhaseResult? FailedPhase => Phases.FirstOrDefault(p => p.Status is { } s && s != PhaseStatus.Succeeded);

    public BuildPhaseResult? Phase(BuildPhaseType type) => Phases.LastOrDefault(p => p.PhaseType == type);
}
