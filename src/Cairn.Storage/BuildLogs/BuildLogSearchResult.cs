namespace Cairn.Storage.BuildLogs;

/// <summary>The events a search found, and <see cref="Next"/>: the index of the next match past the limit (search again from it), or null.</summary>
public sealed record BuildLogSearchResult(IReadOnlyList<BuildLogEvent> Events, long? Next);
