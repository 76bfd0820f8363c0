namespace Cairn.Runner.Reports;

/// <summary>CodeBuild's test case statuses and report statuses.</summary>
public static class TestCaseStatuses
{
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
    public const string Error = "ERROR";
    public const string Skipped = "SKIPPED";
    public const string Unknown = "UNKNOWN";

    /// <summary>The order a pass/fail table lists them in: what needs attention first.</summary>
    public static readonly IReadOnlyList<string> All = [Failed, Error, Unknown, Skipped, Succeeded];

    /// <summary>A report none of whose files could be read completely.</summary>
    public const string ReportIncomplete = "INCOMPLETE";
}
