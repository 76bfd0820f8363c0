namespace Cairn.Runner.Sandbox;

/// <summary>What a host build's sandbox shows the build: its own directories, and nothing of the server's.</summary>
public sealed record SandboxSettings
{
    /// <summary>The build's source: read-write, and owned by the build's user before the first command.</summary>
    public required string SourceDirectory { get; init; }

    /// <summary>Further directories of this build the commands write (home, docker client configuration, cache); owned by the build's user.</summary>
    public IReadOnlyList<string> WritableDirectories { get; init; } = [];

    /// <summary>Directories the commands only read (the aws CLI shim).</summary>
    public IReadOnlyList<string> ReadOnlyDirectories { get; init; } = [];

    /// <summary>Directories replaced by an empty one: the server's data directory (keys, database, other builds), its builds root, its home.</summary>
    public IReadOnlyList<string> HiddenDirectories { get; init; } = [];

    /// <summary>The unprivileged user commands run as when the server runs as root; null keeps the server's own (non-root) user.</summary>
    public BuildUser? User { get; init; }

    /// <summary>Privileged mode: the build may use the Docker engine (root-equivalent on this host).</summary>
    public bool DockerAccess { get; init; }

    /// <summary>The Docker engine's socket, for <see cref="DockerAccess"/>.</summary>
    public string DockerSocket { get; init; } = "/var/run/docker.sock";

    /// <summary>The bwrap program.</summary>
    public string Bubblewrap { get; init; } = "bwrap";
}

/// <summary>A numeric user and group for build commands.</summary>
public sealed record BuildUser(int UserId, int GroupId);
