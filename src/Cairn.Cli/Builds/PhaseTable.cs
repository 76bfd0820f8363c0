using System.Globalization;
using System.Text;
using Cairn.Core.Builds;
using Cairn.Runner.Builds;

namespace Cairn.Cli.Builds;

/// <summary>The end of `cairn build`'s output: each phase with its status and duration, the buildspec's reports (counts per
/// group and the failed tests' names, as the server's report parsers read them), the verdict, and the fix.</summary>
internal static class PhaseTable
{
    private static readonly string[] Shown =
    [
        BuildPhaseTypes.DownloadSource, BuildPhaseTypes.Install, BuildPhaseTypes.PreBuild, BuildPhaseTypes.Build,
        BuildPhaseTypes.PostBuild, BuildPhaseTypes.UploadArtifacts,
    ];

    public static string Render(BuildResult result, bool colour)
    {
        var text = new StringBuilder("\n");
        text.Append(Styled($"{"PHASE",-18}{"STATUS",-12}{"DURATION",10}", colour ? Ansi.Bold : null)).Append('\n');
        foreach (var type in Shown)
        {
            var phase = result.Phase(type);
            var status = phase?.PhaseStatus ?? "skipped";
            var duration = phase is null ? "-" : Format(phase.Duration);
            var cell = $"{status,-12}";
            text.Append($"{type,-18}")
                .Append(colour && phase is not null ? Ansi.StatusColour(status) + cell + Ansi.Reset : cell)
                .Append($"{duration,10}\n");
        }

        AppendReports(text, result, colour);
        var verdict = result.Status;
        text.Append('\n').Append(Styled($"Build {result.Id} {verdict} in {Format(result.Duration)}", colour ? Ansi.Bold + Ansi.StatusColour(verdict) : null)).Append('\n');
        if (result.FailedPhase is { } failed)
        {
            var context = failed.Contexts is { Count: > 0 } contexts ? contexts[0] : null;
            var ended = $"{failed.PhaseType} {failed.PhaseStatus}";
            text.Append(context is null || context.StatusCode.Length == 0 ? ended : $"{ended}: {context.StatusCode}: {context.Message}").Append('\n');
            if (failed.Hint is { } hint)
            {
                text.Append(Styled($"Hint: {hint}", colour ? Ansi.Yellow : null)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>At most this many failed test names per report group; the rest are counted (all are in --format json).</summary>
    internal const int FailedTestsShown = 20;

    private static void AppendReports(StringBuilder text, BuildResult result, bool colour)
    {
        if (result.Reports.Count == 0)
        {
            return;
        }

        text.Append('\n').Append(Styled($"{"REPORT GROUP",-24}{"PASSED",8}{"FAILED",8}{"SKIPPED",8}", colour ? Ansi.Bold : null)).Append('\n');
        foreach (var report in result.Reports)
        {
            if (report.IsCoverage)
            {
                text.Append(CultureInfo.InvariantCulture, $"{report.Group,-24}line coverage {report.LineCoverage:0.##}%\n");
                continue;
            }

            var failed = $"{report.Failed,8}";
            text.Append(CultureInfo.InvariantCulture, $"{report.Group,-24}{report.Passed,8}")
                .Append(colour && report.Failed > 0 ? Ansi.StatusColour(BuildStatuses.Failed) + failed + Ansi.Reset : failed)
                .Append(CultureInfo.InvariantCulture, $"{report.Skipped,8}\n");
            foreach (var name in report.FailedTests.Take(FailedTestsShown))
            {
                text.Append("  failed: ").Append(name).Append('\n');
            }

            if (report.FailedTests.Count > FailedTestsShown)
            {
                text.Append(CultureInfo.InvariantCulture, $"  ... and {report.FailedTests.Count - FailedTestsShown} more (cairn build --format json lists them all)\n");
            }

            foreach (var problem in report.Problems)
            {
                text.Append(Styled($"  {problem}", colour ? Ansi.Yellow : null)).Append('\n');
            }
        }
    }

    public static string Format(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 1 => $"{duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
        < 60 => $"{duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s",
        _ => $"{(int)duration.TotalMinutes}m {duration.Seconds:00}s",
    };

    private static string Styled(string text, string? style) => style is null ? text : style + text + Ansi.Reset;
}
