namespace Cairn.Core.Buildspec;

/// <summary>
/// A <c>build-matrix</c>: <c>static</c> settings shared by every build, and <c>dynamic</c> lists whose cross
/// product makes the builds.
/// </summary>
public sealed record BatchMatrix
{
    public bool StaticIgnoreFailure { get; init; }

    public BatchBuildEnvironment? StaticEnv { get; init; }

    public IReadOnlyList<string> DynamicBuildspecs { get; init; } = [];

    public IReadOnlyList<string> DynamicComputeTypes { get; init; } = [];

    public IReadOnlyList<string> DynamicImages { get; init; } = [];

    /// <summary>Variable name to the values it takes, in source order.</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> DynamicVariables { get; init; } = [];

    public SourceLocation Location { get; init; }
}
