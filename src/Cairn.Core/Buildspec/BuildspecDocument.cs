namespace Cairn.Core.Buildspec;

/// <summary>A parsed buildspec. Produced by <see cref="BuildspecParser"/>; executed by the runner.</summary>
public sealed record BuildspecDocument
{
    public required BuildspecVersion Version { get; init; }

    /// <summary>Linux user for all commands; null means root. A phase's own run-as wins.</summary>
    public string? RunAs { get; init; }

    public BuildspecEnv Env { get; init; } = BuildspecEnv.Empty;

    public BuildspecProxy? Proxy { get; init; }

    public BuildspecBatch? Batch { get; init; }

    /// <summary>The phases present, in run order (install, pre_build, build, post_build).</summary>
    public IReadOnlyList<BuildspecPhase> Phases { get; init; } = [];

    public IReadOnlyList<BuildspecReportGroup> Reports { get; init; } = [];

    public BuildspecArtifacts? Artifacts { get; init; }

    public BuildspecCache? Cache { get; init; }

    /// <summary>True for 0.2: cd and export carry over between commands and phases.</summary>
    public bool SharesOneShell => Version == BuildspecVersion.V0_2;

    public BuildspecPhase? GetPhase(BuildspecPhaseName name) => Phases.FirstOrDefault(phase => phase.Name == name);

    /// <summary>The run-as user for <paramref name="phase"/>: the phase's own, else the buildspec's, else null (root).</summary>
    public string? RunAsFor(BuildspecPhase phase) => phase.RunAs ?? RunAs;
}
