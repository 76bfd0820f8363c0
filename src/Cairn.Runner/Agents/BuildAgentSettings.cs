namespace Cairn.Runner.Agents;

/// <summary>
/// `cairn agent`'s settings: its server, the work directory builds are checked out in, and the executor. <see cref="Secrets"/>
/// makes the parameter store reader a build's PARAMETER_STORE and SECRETS_MANAGER variables use, from the build's role
/// credentials (null: such a build fails with a clear message).
/// </summary>
public sealed record BuildAgentSettings(Uri Server, string WorkDirectory)
{
    public AgentExecutor Executor { get; init; } = AgentExecutor.Host;

    public string DockerCommand { get; init; } = "docker";

    /// <summary>Where <see cref="AgentExecutor.Kubernetes"/> runs builds (Cairn.Runner.Kubernetes' KubernetesPlacement).</summary>
    public Builds.PodPlacement? Pod { get; init; }

    public Func<AgentAssignment, Builds.IBuildSecretSource?>? Secrets { get; init; }

    /// <summary>How often masked log lines are sent while a build runs.</summary>
    public TimeSpan LogInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the agent waits before claiming again after the server could not be reached.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
}
