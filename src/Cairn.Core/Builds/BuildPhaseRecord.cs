namespace Cairn.Core.Builds;

/// <summary>
/// One entry of a build's phases: its type, and once it has ended its status, end time and contexts. COMPLETED has a
/// start time only, as on AWS. <see cref="Hint"/> is Cairn's addition: what went wrong and how to fix it, when known.
/// <see cref="FirstLogLine"/> is Cairn's too: the index of the phase's first line in the build's log (the dashboard folds
/// the log by it); null for phases recorded before it was kept.
/// </summary>
public sealed record BuildPhaseRecord(
    string PhaseType,
    DateTimeOffset StartTime,
    string? PhaseStatus = null,
    DateTimeOffset? EndTime = null,
    IReadOnlyList<PhaseContext>? Contexts = null,
    string? Hint = null,
    long? FirstLogLine = null)
{
    public bool HasEnded => EndTime is not null;

    public TimeSpan Duration => EndTime is { } end ? end - StartTime : TimeSpan.Zero;

    /// <summary>Whole seconds, as CodeBuild reports durationInSeconds.</summary>
    public long? DurationInSeconds => EndTime is { } end ? (long)Math.Max(0, (end - StartTime).TotalSeconds) : null;

    // Contexts compare by content, so a phase read back from storage equals the one written.
    public bool Equals(BuildPhaseRecord? other) =>
        other is not null
        && PhaseType == other.PhaseType && StartTime == other.StartTime && PhaseStatus == other.PhaseStatus && EndTime == other.EndTime
        && (Contexts ?? []).SequenceEqual(other.Contexts ?? []) && Hint == other.Hint && FirstLogLine == other.FirstLogLine;

    public override int GetHashCode() => HashCode.Combine(PhaseType, StartTime, PhaseStatus, EndTime);
}
