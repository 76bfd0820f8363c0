using Cairn.Runner.Phases;

namespace Cairn.Runner.Builds;

/// <summary>
/// One entry of a build's phases. <see cref="Status"/> and <see cref="EndTime"/> are null for COMPLETED, as on AWS.
/// <see cref="Hint"/> is Cairn's addition: what went wrong and how to fix it, when known.
/// </summary>
public sealed record BuildPhaseResult(
    BuildPhaseType PhaseType,
    PhaseStatus? Status,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    IReadOnlyList<PhaseContext> Contexts,
    string? Hint = null)
{
    public TimeSpan Duration => EndTime is { } end ? end - StartTime : TimeSpan.Zero;

    /// <summary>Whole seconds, as CodeBuild's durationInSeconds.</summary>
    public long? DurationInSeconds => EndTime is null ? null : (long)Duration.TotalSeconds;
}
