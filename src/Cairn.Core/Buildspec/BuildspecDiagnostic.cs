namespace Cairn.Core.Buildspec;

/// <summary>
/// One finding about a buildspec: what is wrong (<see cref="Message"/>), where, and how to fix it (<see cref="Hint"/>).
/// When CodeBuild itself rejects the buildspec, <see cref="AwsStatusCode"/> is the phase context status code it
/// reports (YAML_FILE_ERROR) and <see cref="Message"/> is AWS's own wording.
/// </summary>
public sealed record BuildspecDiagnostic(
    DiagnosticSeverity Severity,
    string Code,
    string Message,
    SourceLocation Location,
    string? Hint = null,
    string? AwsStatusCode = null) : IDiagnostic
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>True when AWS CodeBuild would fail the build in DOWNLOAD_SOURCE for this.</summary>
    public bool IsFatal => AwsStatusCode is not null;
}
