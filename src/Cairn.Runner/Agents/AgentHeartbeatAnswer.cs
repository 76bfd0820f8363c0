namespace Cairn.Runner.Agents;

/// <summary>The server's answer to a heartbeat: <see cref="Stop"/> when StopBuild asked for the build to stop.</summary>
public sealed record AgentHeartbeatAnswer(bool Stop);
