namespace Cairn.Storage.BuildLogs;

/// <summary>Events read from a log, with the log's event count and whether it was complete when they were read.</summary>
public sealed record BuildLogPage(IReadOnlyList<BuildLogEvent> Events, long Count, bool IsComplete);
