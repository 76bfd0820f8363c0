namespace Cairn.Runner.Agents;

/// <summary>One masked log line and when the build said it.</summary>
public sealed record AgentLogLine(string Text, DateTimeOffset Time);
