using Cairn.Core.Buildspec;

namespace Cairn.Core.Pipelines.Lint;

/// <summary>
/// One finding about a pipeline declaration: what is wrong, where (<see cref="Path"/> in the declaration and its line and
/// column in the file), and how to fix it. <see cref="AwsStatusCode"/> is the exception AWS answers CreatePipeline with
/// when AWS itself rejects the declaration (InvalidStructureException, ValidationException, ...).
/// </summary>
public sealed record PipelineDiagnostic(
    DiagnosticSeverity Severity,
    string Code,
    string Message,
    string Path,
    SourceLocation Location,
    string? Hint = null,
    string? AwsStatusCode = null) : IDiagnostic
{
    public bool IsError => Severity == DiagnosticSeverity.Error;
}
