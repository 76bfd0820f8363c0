using System.Globalization;

namespace Cairn.Core.Builds;

/// <summary>
/// The text of CodeBuild's own log lines ("[Container] 2026/12/05 10:00:00.123 message") and of the two lines that close a
/// phase. Written by the build's event sink and by the server when it fails a build that a stopped server left running;
/// nothing parses them back.
/// </summary>
public static class RunnerLines
{
    /// <summary>"[Container] &lt;UTC time&gt; &lt;message&gt;", as CodeBuild's agent writes its own lines.</summary>
    public static string Line(DateTimeOffset time, string message) =>
        $"[Container] {time.UtcDateTime.ToString("yyyy/MM/dd HH:mm:ss.fff", CultureInfo.InvariantCulture)} {message}";

    /// <summary>"Phase complete: BUILD State: FAILED".</summary>
    public static string PhaseComplete(string phase, string status) => $"Phase complete: {phase} State: {status}";

    /// <summary>"Phase context status code: COMMAND_EXECUTION_ERROR Message: ..." (both empty for a phase that succeeded).</summary>
    public static string PhaseContext(PhaseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return $"Phase context status code: {context.StatusCode} Message: {context.Message}";
    }
}
