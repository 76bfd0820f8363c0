namespace Cairn.Runner.Agents;

/// <summary>Where an agent runs its builds' commands: a shell on its host, a container of the build's image (Docker), or a Kubernetes Job.</summary>
public enum AgentExecutor
{
    Host,
    Docker,
    Kubernetes,
}
