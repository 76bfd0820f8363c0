namespace Cairn.Core.Buildspec;

/// <summary>One <c>reports.&lt;group&gt;</c> entry: test or coverage report files to collect.</summary>
public sealed record BuildspecReportGroup
{
    /// <summary>Report group name or ARN.</summary>
    public required string Name { get; init; }

    public IReadOnlyList<string> Files { get; init; } = [];

    public string? BaseDirectory { get; init; }

    public bool DiscardPaths { get; init; }

    /// <summary>As written, upper-cased; null means JUNITXML.</summary>
    public string? FileFormat { get; init; }

    public string EffectiveFileFormat => FileFormat ?? "JUNITXML";

    public SourceLocation Location { get; init; }

    /// <summary>Test report formats.</summary>
    public static IReadOnlyList<string> TestFormats { get; } = ["JUNITXML", "CUCUMBERJSON", "NUNITXML", "NUNIT3XML", "TESTNGXML", "VISUALSTUDIOTRX"];

    /// <summary>Code coverage report formats.</summary>
    public static IReadOnlyList<string> CoverageFormats { get; } = ["CLOVERXML", "COBERTURAXML", "JACOCOXML", "SIMPLECOV"];
}
