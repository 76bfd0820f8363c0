namespace Cairn.Runner.Agents;

/// <summary>
/// Masked log lines from line <see cref="Offset"/> on (0-based in the build's log). A chunk sent again after a lost answer
/// overlaps lines the server has: those are skipped, so a retry never duplicates a line.
/// </summary>
public sealed record AgentLogChunk(string LeaseToken, long Offset, IReadOnlyList<AgentLogLine> Lines);
