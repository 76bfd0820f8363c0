namespace Cairn.Core.Buildspec;

/// <summary>The <c>batch</c> section: how one StartBuildBatch fans out into builds.</summary>
public sealed record BuildspecBatch
{
    public bool FastFail { get; init; }

    public IReadOnlyList<BatchBuild> BuildList { get; init; } = [];

    public IReadOnlyList<BatchBuild> BuildGraph { get; init; } = [];

    public BatchMatrix? BuildMatrix { get; init; }

    public SourceLocation Location { get; init; }
}
