namespace Cairn.Core.Buildspec;

/// <summary>
/// The <c>artifacts</c> section, or one of its <c>secondary-artifacts</c> (then <see cref="Identifier"/> is set).
/// </summary>
public sealed record BuildspecArtifacts
{
    /// <summary>The secondary artifact identifier; null for the primary artifacts.</summary>
    public string? Identifier { get; init; }

    /// <summary>Globs relative to the base directory (<c>**/*</c> is everything).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    public string? Name { get; init; }

    public bool DiscardPaths { get; init; }

    public string? BaseDirectory { get; init; }

    public IReadOnlyList<string> ExcludePaths { get; init; } = [];

    public bool EnableSymlinks { get; init; }

    public string? S3Prefix { get; init; }

    public IReadOnlyList<BuildspecArtifacts> SecondaryArtifacts { get; init; } = [];

    public SourceLocation Location { get; init; }
}
