namespace Cairn.Storage.Reports;

/// <summary>One report: a report group's result from one build (arn:aws:codebuild:region:account:report/group:uuid).</summary>
/// <param name="ExecutionId">The build's ARN.</param>
/// <param name="Status">SUCCEEDED, FAILED or INCOMPLETE.</param>
/// <param name="Message">Why the report is incomplete (files that could not be read), or null.</param>
public sealed record ReportRecord(
    string Arn,
    string ReportGroupArn,
    string Name,
    string Type,
    string ExecutionId,
    string Status,
    DateTimeOffset Created,
    long DurationInNanoSeconds,
    IReadOnlyDictionary<string, int> StatusCounts,
    int Total,
    string? Message,
    ReportCoverage? Coverage,
    IReadOnlyList<TestCaseRecord> TestCases);

/// <summary>A code coverage report's line counts.</summary>
public sealed record ReportCoverage(double LineCoveragePercentage, long LinesCovered, long LinesMissed);

/// <summary>One test case of a report (DescribeTestCases' TestCase).</summary>
public sealed record TestCaseRecord(
    string Name,
    string Prefix,
    string Status,
    long DurationInNanoSeconds,
    string? Message,
    string? TestSuiteName,
    string? TestRawDataPath);
