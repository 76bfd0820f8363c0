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

    /// <summary>Every test case of a test report, in file order.</summary>
    public IReadOnlyList<TestCaseResult> Cases { get; init; } = [];

    /// <summary>The sum of the test cases' durations.</summary>
    public long DurationInNanoSeconds { get; init; }

    public long LinesCovered { get; init; }

    public long LinesMissed { get; init; }

    /// <summary>
    /// The report's status as CodeBuild gives it: INCOMPLETE when a file could not be read (or none matched), FAILED when
    /// a test failed or errored, else SUCCEEDED.
    /// </summary>
    public string Status => Problems.Count > 0 ? TestCaseStatuses.ReportIncomplete
        : Failed > 0 ? TestCaseStatuses.Failed
        : TestCaseStatuses.Succeeded;

    /// <summary>The test cases counted per status (CodeBuild's statusCounts).</summary>
    public IReadOnlyDictionary<string, int> StatusCounts =>
        TestCaseStatuses.All.ToDictionary(s => s, s => Cases.Count(c => c.Status == s), StringComparer.Ordinal);
}
