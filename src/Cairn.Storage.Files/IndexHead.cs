namespace Cairn.Storage.Files;

/// <summary>What a log's index says: lines indexed, the log bytes they span, the first and last times, whether the log is complete.</summary>
internal readonly record struct IndexHead(long Count, long Bytes, long FirstMs, long LastMs, bool Complete);
