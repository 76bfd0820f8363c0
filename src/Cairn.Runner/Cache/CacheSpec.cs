namespace Cairn.Runner.Cache;

/// <summary>The buildspec's <c>cache</c> section. Paths are globs relative to the source directory, or absolute.</summary>
/// <param name="Action">restore, save, or null for both.</param>
public sealed record CacheSpec(
    IReadOnlyList<string> Paths,
    string? Key = null,
    IReadOnlyList<string>? FallbackKeys = null,
    string? Action = null);
