using System.Text.Json.Serialization;
using Cairn.Runner.Containers;
using Cairn.Runner.Sandbox;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Builds;

/// <summary>
/// Where a build's commands run, as data: this host as the executor's own user, this host in a bubblewrap sandbox, or a
/// container of the project's image. It serializes to JSON (a "kind" member says which), so whatever runs the executor —
/// this process, a build agent on another machine, later a Kubernetes pod — is told the same thing and opens the shell
/// host itself, as actions/runner's IStepHost does: nothing in a <see cref="BuildRequest"/> that says where to run is a delegate.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(HostPlacement), "host")]
[JsonDerivedType(typeof(SandboxPlacement), "sandbox")]
[JsonDerivedType(typeof(ContainerPlacement), "container")]
public abstract record BuildPlacement
{
    /// <summary>This host, as the executor's user, with no isolation (what `cairn build` does, like make).</summary>
    public static BuildPlacement Host { get; } = new HostPlacement();

    /// <summary>The shell host for one build: made once, it makes every shell the build's commands run in.</summary>
    public abstract IShellHost Open();

    /// <summary>The user the commands run as when it is not the executor's own (a sandbox under a root server); files the
    /// commands must write are given to it.</summary>
    [JsonIgnore]
    public virtual BuildUser? CommandUser => null;
}

/// <summary>This host, unisolated.</summary>
public sealed record HostPlacement : BuildPlacement
{
    public override IShellHost Open() => new HostShells();
}

/// <summary>This host, in the bubblewrap sandbox <paramref name="Settings"/> describes.</summary>
public sealed record SandboxPlacement(SandboxSettings Settings) : BuildPlacement
{
    public override IShellHost Open() => new HostSandbox(Settings);

    public override BuildUser? CommandUser => Settings.User;
}

/// <summary>A container of <see cref="ContainerSettings.Image"/> on the Docker engine <paramref name="Settings"/> names.</summary>
public sealed record ContainerPlacement(ContainerSettings Settings) : BuildPlacement
{
    public override IShellHost Open() => new ContainerShellFactory(Settings);
}
