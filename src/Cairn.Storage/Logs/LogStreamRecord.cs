namespace Cairn.Storage.Logs;

/// <summary>
/// A log stream: <see cref="Id"/> is the store's stable number for it; <see cref="BuildUuid"/> names the build whose log
/// (in the build log store) holds its events, null when its events are the ones PutLogEvents stored.
/// </summary>
public sealed record LogStreamRecord(
    long Id,
    string GroupName,
    string Name,
    DateTimeOffset Created,
    string? BuildUuid,
    DateTimeOffset? FirstEventTime,
    DateTimeOffset? LastEventTime,
    DateTimeOffset? LastIngestionTime,
    long StoredBytes);
