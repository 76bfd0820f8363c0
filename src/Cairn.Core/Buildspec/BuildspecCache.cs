namespace Cairn.Core.Buildspec;

/// <summary>The <c>cache</c> section.</summary>
public sealed record BuildspecCache
{
    /// <summary>May contain <c>$(codebuild-hash-files &lt;globs&gt;)</c>.</summary>
    public string? Key { get; init; }

    /// <summary>Prefix-matched when the key misses (at most 5).</summary>
    public IReadOnlyList<string> FallbackKeys { get; init; } = [];

    /// <summary><c>restore</c>, <c>save</c>, or null for both.</summary>
    public string? Action { get; init; }

    public IReadOnlyList<string> Paths { get; init; } = [];

    public SourceLocation Location { get; init; }

    public bool Restores => Action is null or "restore";

    public bool Saves => Action is null or "save";
}
