using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Cairn.Storage.BuildLogs;

namespace Cairn.Dashboard.Logs;

/// <summary>
/// A line as the page and its script show it: its index (line number - 1), its time, and its text as escaped HTML with
/// ANSI colours as classes. The same rendering for the server-rendered page, "load earlier" and the live stream.
/// </summary>
internal sealed record LogLine(
    [property: JsonPropertyName("i")] long Index,
    [property: JsonPropertyName("t")] string Time,
    [property: JsonPropertyName("h")] string Html)
{
    public static LogLine Of(BuildLogEvent line) => new(line.Index, line.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), AnsiHtml.Render(line.Message));

    public long Number => Index + 1;

    /// <summary>The time as shown beside the line (UTC, to the millisecond); the full time is its title.</summary>
    public string ShortTime => Time[11..23];

    /// <summary>The line's element, as the page renders it and buildlog.js makes it (keep the two alike).</summary>
    public string ToHtml() => new StringBuilder(Html.Length + 160)
        .Append(CultureInfo.InvariantCulture, $"<div class=\"line\" id=\"L{Number}\" data-i=\"{Index}\"><a class=\"n\" href=\"#L{Number}\">{Number}</a>")
        .Append(CultureInfo.InvariantCulture, $"<time class=\"t\" datetime=\"{Time}\">{ShortTime}</time><span class=\"x\">{Html}</span></div>")
        .ToString();
}
