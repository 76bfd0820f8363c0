namespace Cairn.Runner.Reports;

/// <summary>One test case as a report file states it, in CodeBuild's terms (DescribeTestCases' TestCase).</summary>
/// <param name="Status">A <see cref="TestCaseStatuses"/> value.</param>
/// <param name="Prefix">The class, feature or suite the test belongs to (JUnit's classname); may be empty.</param>
/// <param name="Message">The failure's message and text, for a failed or errored test; else null.</param>
public sealed record TestCaseResult(
    string Name,
    string Prefix,
    string Status,
    long DurationInNanoSeconds,
    string? Message,
    string? TestSuiteName,
    string File);
