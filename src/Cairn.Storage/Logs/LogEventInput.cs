namespace Cairn.Storage.Logs;

/// <summary>An event PutLogEvents accepted: when it happened, its text.</summary>
public sealed record LogEventInput(DateTimeOffset Timestamp, string Message);
