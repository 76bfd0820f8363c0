namespace Cairn.Application.Builds;

/// <summary>The build service's settings; every default lives here. `cairn serve` reads CAIRN_BUILD_* variables.</summary>
public sealed record CodeBuildOptions
{
    /// <summary>
    /// False for a server that only serves APIs (the one `cairn build` starts in-process): it runs no queued builds and
    /// leaves other servers' running builds alone.
    /// </summary>
    public bool RunsBuilds { get; init; } = true;

    /// <summary>Most builds that run at once in this server; more wait in QUEUED.</summary>
    public int MaxConcurrentBuilds { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Where builds keep their source, logs and artifacts; &lt;data&gt;/builds when null.</summary>
    public string? BuildsDirectory { get; init; }

    /// <summary>The URL a build's `aws` commands and log links use for Cairn; the bound address when null.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The docker CLI used for LINUX_CONTAINER builds.</summary>
    public string DockerCommand { get; init; } = "docker";

    /// <summary>
    /// When set, LINUX_CONTAINER builds run as Kubernetes Jobs there instead of Docker containers: `cairn serve` makes it from
    /// CAIRN_BUILD_EXECUTOR=kubernetes, CAIRN_KUBECONFIG and CAIRN_KUBERNETES_NAMESPACE (Cairn.Runner.Kubernetes).
    /// </summary>
    public Cairn.Runner.Builds.PodPlacement? ContainerPods { get; init; }

    /// <summary>
    /// How host builds (LINUX_EC2) are kept from the server's keys, database and processes: <see cref="HostBuildIsolation.Sandbox"/>
    /// (bubblewrap, and an unprivileged user when the server is root) or <see cref="HostBuildIsolation.None"/> (the build runs as
    /// the server does and can read everything it can: only for a single user's own machine).
    /// </summary>
    public HostBuildIsolation HostBuildIsolation { get; init; } = HostBuildIsolation.Sandbox;

    /// <summary>The user sandboxed host builds run as when the server is root: a name or uid:gid.</summary>
    public string BuildUser { get; init; } = "nobody";

    /// <summary>
    /// The host directories a build's source may be copied or cloned from (a directory path or a file:// git URL); the
    /// server's data directory is never one of them. Empty means none: only remote git sources.
    /// </summary>
    public IReadOnlyList<string> SourceRoots { get; init; } = [Environment.CurrentDirectory];

    /// <summary>How often a server looks for StopBuild requests made through another server for the builds it runs.</summary>
    public TimeSpan StopPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often queued builds are checked against their queued timeout.</summary>
    public TimeSpan QueueSweepInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an agent's build lives without a heartbeat before it is failed as lost (AWS fails builds on lost hosts).</summary>
    public TimeSpan AgentLeaseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long POST /_cairn/agents/claim holds a request when no build is queued for the agent.</summary>
    public TimeSpan AgentClaimHold { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>The largest artifacts upload (a gzipped tar) an agent may send for one build.</summary>
    public long AgentMaxArtifactBytes { get; init; } = 10L << 30;

    /// <summary>How often the server looks for agent builds whose lease ran out.</summary>
    public TimeSpan AgentLeaseSweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads CAIRN_BUILD_CONCURRENCY, CAIRN_BUILD_ENDPOINT, CAIRN_DOCKER, CAIRN_HOST_BUILD_ISOLATION, CAIRN_BUILD_USER and
    /// CAIRN_SOURCE_ROOTS (colon-separated) for whatever is unset.
    /// </summary>
    public static CodeBuildOptions FromEnvironment(Func<string, string?> getVariable)
    {
        var options = new CodeBuildOptions();
        if (int.TryParse(getVariable("CAIRN_BUILD_CONCURRENCY"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var concurrency) && concurrency > 0)
        {
            options = options with { MaxConcurrentBuilds = concurrency };
        }

        if (getVariable("CAIRN_BUILD_ENDPOINT") is { Length: > 0 } endpoint)
        {
            options = options with { Endpoint = endpoint };
        }

        if (getVariable("CAIRN_DOCKER") is { Length: > 0 } docker)
        {
            options = options with { DockerCommand = docker };
        }

        if (getVariable("CAIRN_HOST_BUILD_ISOLATION") is { Length: > 0 } isolation && Enum.TryParse<HostBuildIsolation>(isolation, ignoreCase: true, out var parsed))
        {
            options = options with { HostBuildIsolation = parsed };
        }

        if (getVariable("CAIRN_BUILD_USER") is { Length: > 0 } user)
        {
            options = options with { BuildUser = user };
        }

        if (getVariable("CAIRN_SOURCE_ROOTS") is { } roots)
        {
            options = options with { SourceRoots = roots.Split(':', StringSplitOptions.RemoveEmptyEntries) };
        }

        return options;
    }
}
