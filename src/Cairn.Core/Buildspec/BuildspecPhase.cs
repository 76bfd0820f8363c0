namespace Cairn.Core.Buildspec;

/// <summary>
/// One phase: commands run one at a time in order; <see cref="Finally"/> runs after them even when one failed
/// (the remaining commands are skipped); the phase succeeds only if commands and finally all succeed.
/// </summary>
public sealed record BuildspecPhase
{
    public required BuildspecPhaseName Name { get; init; }

    /// <summary>Linux user for this phase's commands; overrides the buildspec-level run-as.</summary>
    public string? RunAs { get; init; }

    public OnFailurePolicy? OnFailure { get; init; }

    /// <summary>install only: runtime name to version, in source order (values kept as written, e.g. "3.10").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RuntimeVersions { get; init; } = [];

    public IReadOnlyList<BuildspecCommand> Commands { get; init; } = [];

    public IReadOnlyList<BuildspecCommand> Finally { get; init; } = [];

    public SourceLocation Location { get; init; }

    /// <summary>The name as written in a buildspec (install, pre_build, build, post_build).</summary>
    public string YamlName => ToYamlName(Name);

    /// <summary>The name as CodeBuild reports it in phase types (INSTALL, PRE_BUILD, BUILD, POST_BUILD).</summary>
    public string PhaseType => YamlName.ToUpperInvariant();

    public static string ToYamlName(BuildspecPhaseName name) => name switch
    {
        BuildspecPhaseName.Install => "install",
        BuildspecPhaseName.PreBuild => "pre_build",
        BuildspecPhaseName.Build => "build",
        BuildspecPhaseName.PostBuild => "post_build",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
