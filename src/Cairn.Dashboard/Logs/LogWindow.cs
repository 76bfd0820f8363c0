using Cairn.Application.Builds.Logs;
using Cairn.Core.Builds;
using Cairn.Storage.BuildLogs;

namespace Cairn.Dashboard.Logs;

/// <summary>
/// The part of a log a page shows: at most <see cref="PageLines"/> lines ending before <see cref="End"/> (the log's last
/// ones by default), with the phases as sections. Read by range from the log's index: a 100 MB log costs this page's lines.
/// </summary>
internal sealed record LogWindow(IReadOnlyList<LogSection> Sections, IReadOnlyList<LogLine> Lines, long Start, long End, long Count, bool Complete)
{
    public const int PageLines = 1000;

    public static async Task<LogWindow> LoadAsync(BuildLog log, BuildRecord build, long? end, CancellationToken cancellationToken)
    {
        var page = await log.ReadAsync(new BuildLogRange { To = end ?? long.MaxValue, Limit = PageLines, FromEnd = true }, cancellationToken);
        var lines = page.Events.Select(LogLine.Of).ToList();
        var last = Math.Min(end ?? page.Count, page.Count);
        var first = lines.Count > 0 ? lines[0].Index : last;
        var sections = await LogSection.OfAsync(log, build, cancellationToken);
        if (sections.Count == 0)
        {
            sections = [new LogSection("LOG", null, build.StartTime, build.EndTime, 0)];
        }

        return new LogWindow(sections, lines, first, last, page.Count, page.IsComplete);
    }

    /// <summary>The lines of the window in section <paramref name="i"/>.</summary>
    public IEnumerable<LogLine> LinesOf(int i)
    {
        var from = i == 0 ? 0 : Sections[i].First;
        var to = i + 1 < Sections.Count ? Sections[i + 1].First : long.MaxValue;
        return Lines.Where(l => l.Index >= from && l.Index < to);
    }

    /// <summary>How many lines section <paramref name="i"/> has (so far, for the running one).</summary>
    public long LineCount(int i) => (i + 1 < Sections.Count ? Sections[i + 1].First : Count) - (i == 0 ? 0 : Sections[i].First);

    /// <summary>The window that shows line <paramref name="index"/> near its middle, as the page's end position.</summary>
    public static long EndAround(long index, long count) => Math.Min(count, Math.Max(index + 1, index + (PageLines / 2)));
}
