namespace Cairn.Core.Buildspec;

/// <summary>The <c>env</c> of one batch build: overrides of the project's environment.</summary>
public sealed record BatchBuildEnvironment
{
    public string? ComputeType { get; init; }

    public string? Fleet { get; init; }

    public string? Image { get; init; }

    public bool? PrivilegedMode { get; init; }

    public string? Type { get; init; }

    public IReadOnlyList<BuildspecVariable> Variables { get; init; } = [];
}
