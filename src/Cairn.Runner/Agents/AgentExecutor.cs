namespace Cairn.Runner.Agents;

/// <summary>Where an agent runs its builds' commands: a shell on its host, or a container of the build's image (Docker).</summary>
public enum AgentExecutor
{
    Host,
    Docker,
}
