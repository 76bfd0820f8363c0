namespace Cairn.Runner.Sources;

/// <summary>A build's primary source: CodeBuild's source type and location, and the version to check out.</summary>
/// <param name="Location">A URL git can clone (https, ssh, git, file://), or an absolute directory path (Cairn's extension: copied as it is).</param>
/// <param name="Version">Branch, tag, commit or ref; null means the repository's default branch.</param>
/// <param name="CloneDepth">0 or null for a full clone.</param>
public sealed record SourceRequest(string Type, string? Location, string? Version = null, int? CloneDepth = null, bool InsecureSsl = false)
{
    /// <summary>Absolute directories never copied from a directory source (the server's data directory inside it).</summary>
    public IReadOnlyList<string> Excluded { get; init; } = [];
}
