namespace Cairn.Runner.Reports;

/// <summary>One report group of the buildspec's <c>reports</c> section.</summary>
/// <param name="FileFormat">JUNITXML (default), CUCUMBERJSON, NUNITXML, NUNIT3XML, TESTNGXML, VISUALSTUDIOTRX, or a coverage format.</param>
public sealed record ReportSpec(
    string Group,
    IReadOnlyList<string> Files,
    string? BaseDirectory = null,
    string FileFormat = "JUNITXML");
