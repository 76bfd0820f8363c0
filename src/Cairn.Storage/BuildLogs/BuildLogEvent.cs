namespace Cairn.Storage.BuildLogs;

/// <summary>One line of a build's log: its position (0 for the first line), when it was written, its text with its newline.</summary>
public sealed record BuildLogEvent(long Index, DateTimeOffset Timestamp, string Message);
