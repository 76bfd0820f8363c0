namespace Cairn.Core.Buildspec;

/// <summary>
/// One finding of a linter (the buildspec's, the pipeline's): what is wrong, where in the file, how to fix it, and the
/// code AWS reports when AWS itself rejects it. <see cref="BuildspecDiagnosticFormatter"/> renders any of them.
/// </summary>
public interface IDiagnostic
{
    DiagnosticSeverity Severity { get; }

    string Code { get; }

    string Message { get; }

    SourceLocation Location { get; }

    string? Hint { get; }

    /// <summary>The code AWS reports for the same mistake (YAML_FILE_ERROR, InvalidStructureException), when AWS rejects it.</summary>
    string? AwsStatusCode { get; }
}
