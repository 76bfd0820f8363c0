namespace Cairn.Core.Buildspec;

/// <summary>One build of a <c>build-list</c> or <c>build-graph</c> (only graph builds have <see cref="DependOn"/>).</summary>
public sealed record BatchBuild
{
    public required string Identifier { get; init; }

    /// <summary>Path of the buildspec this build uses; null means the batch's own buildspec.</summary>
    public string? Buildspec { get; init; }

    public BatchBuildEnvironment? Env { get; init; }

    public bool DebugSession { get; init; }

    public bool IgnoreFailure { get; init; }

    public IReadOnlyList<string> DependOn { get; init; } = [];

    public SourceLocation Location { get; init; }
}
