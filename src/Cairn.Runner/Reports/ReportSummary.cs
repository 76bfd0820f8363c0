namespace Cairn.Runner.Reports;

/// <summary>A report group's totals. Test reports fill the test counts; coverage reports fill LineCoverage (percent).</summary>
public sealed record ReportSummary(
    string Group,
    string FileFormat,
    int Total,
    int Passed,
    int Failed,
    int Skipped,
    double? LineCoverage,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> FailedTests,
    IReadOnlyList<string> Problems)
{
    public bool IsCoverage => LineCoverage is not null;
}
