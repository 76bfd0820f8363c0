using Cairn.Application.Builds.Logs;
using Cairn.Core.Builds;
using Cairn.Storage.BuildLogs;

namespace Cairn.Dashboard.Logs;

/// <summary>
/// A phase of the build as a folding section of its log: the phase from the build's phase records, and the index of
/// its first line, as the build's event sink recorded it (<see cref="BuildPhaseRecord.FirstLogLine"/>); for a phase
/// recorded before that was kept, the first line written at or after the phase started (the log's index finds it).
/// Failed and running phases are open, the others folded.
/// </summary>
internal sealed record LogSection(string Phase, string? Status, DateTimeOffset Start, DateTimeOffset? End, long First)
{
    public bool Running => End is null;

    public bool Open => Running || (Status is not null && Status != BuildStatuses.Succeeded);

    /// <summary>The sections of <paramref name="build"/>'s phases, in order (COMPLETED has no lines of its own).</summary>
    public static async Task<IReadOnlyList<LogSection>> OfAsync(BuildLog log, BuildRecord build, CancellationToken cancellationToken)
    {
        var sections = new List<LogSection>();
        foreach (var phase in build.Phases.Where(p => p.PhaseType != BuildPhaseTypes.Completed))
        {
            var first = sections.Count == 0 ? 0 : phase.FirstLogLine ?? await FirstAtOrAfterAsync(log, phase.StartTime, cancellationToken);
            first = Math.Max(first, sections.Count > 0 ? sections[^1].First : 0);
            sections.Add(new LogSection(phase.PhaseType, phase.PhaseStatus, phase.StartTime, phase.EndTime, first));
        }

        return sections;
    }

    private static async Task<long> FirstAtOrAfterAsync(BuildLog log, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var page = await log.ReadAsync(new BuildLogRange { Since = since, Limit = 1 }, cancellationToken);
        return page.Events is [var first, ..] ? first.Index : page.Count;
    }
}
