namespace Cairn.Core.Buildspec;

/// <summary>The linter's findings, sorted by position, and the document when CodeBuild could parse it.</summary>
public sealed record BuildspecLintResult(BuildspecDocument? Document, IReadOnlyList<BuildspecDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public int ErrorCount => Diagnostics.Count(d => d.IsError);

    public int WarningCount => Diagnostics.Count(d => !d.IsError);
}
