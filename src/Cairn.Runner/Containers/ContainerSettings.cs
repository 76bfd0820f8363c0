namespace Cairn.Runner.Containers;

/// <summary>How a build's commands run in a container.</summary>
/// <param name="BuildUuid">Labels the build's containers (so they can be removed) and names them.</param>
/// <param name="Image">The project's image.</param>
/// <param name="Mounts">Host directories mounted at the same path inside (the source, the runner's scripts).</param>
/// <param name="PrivilegedMode">Gives the build the host's Docker engine (its socket), so docker build and push work inside.</param>
/// <param name="DockerSocket">The engine's socket on the host, for privileged mode.</param>
/// <param name="WorkDirectory">Where the wrapper script lives; mounted too, as the syntax check runs it inside.</param>
public sealed record ContainerSettings(
    string BuildUuid,
    string Image,
    IReadOnlyList<string> Mounts,
    bool PrivilegedMode,
    string WorkDirectory,
    string DockerCommand = "docker",
    string DockerSocket = "/var/run/docker.sock");
