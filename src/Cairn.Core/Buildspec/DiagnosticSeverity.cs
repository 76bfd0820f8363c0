namespace Cairn.Core.Buildspec;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}
