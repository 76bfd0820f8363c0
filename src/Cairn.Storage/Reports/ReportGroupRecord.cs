namespace Cairn.Storage.Reports;

/// <summary>A CodeBuild report group (arn:aws:codebuild:region:account:report-group/name).</summary>
/// <param name="Type">TEST or CODE_COVERAGE.</param>
/// <param name="ExportConfig">The exportConfig as the caller gave it, kept as JSON (Cairn exports nowhere).</param>
public sealed record ReportGroupRecord(
    string Arn,
    string Name,
    string AccountId,
    string Region,
    string Type,
    string ExportConfig,
    DateTimeOffset Created,
    DateTimeOffset LastModified,
    IReadOnlyList<KeyValuePair<string, string>> Tags);
