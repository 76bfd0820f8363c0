using Cairn.Storage.BuildLogs;

namespace Cairn.Storage.Logs;

/// <summary>
/// CloudWatch Logs' log groups, log streams and the events PutLogEvents stored, per account and region. A build's
/// stream points at its build log (<see cref="LogStreamRecord.BuildUuid"/>), which the build log store keeps. Event
/// reads take the build log store's ranges and searches, with the same indexes (0 for a stream's first event). A new
/// backend implements the same contract (LogStoreContractTests).
/// </summary>
public interface ILogStore
{
    /// <summary>Stores a new group; false when the name is taken.</summary>
    Task<bool> CreateGroupAsync(LogGroupRecord group, CancellationToken cancellationToken);

    Task<LogGroupRecord?> GetGroupAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    /// <summary>The scope's groups whose name starts with <paramref name="prefix"/>, by name.</summary>
    Task<IReadOnlyList<LogGroupRecord>> ListGroupsAsync(string accountId, string region, string prefix, CancellationToken cancellationToken);

    /// <summary>Every group with a retention, in every scope: what the retention sweep visits.</summary>
    Task<IReadOnlyList<LogGroupRecord>> ListGroupsWithRetentionAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the group, its streams and their events; the deleted streams (null when there is no such group).</summary>
    Task<IReadOnlyList<LogStreamRecord>?> DeleteGroupAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    /// <summary>Sets (or with null removes) the group's retention; false when there is no such group.</summary>
    Task<bool> SetRetentionAsync(string accountId, string region, string name, int? days, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the group's tags with what <paramref name="change"/> makes of them, in one transaction (an exception from
    /// it leaves them as they were); null when there is no such group.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>?> UpdateTagsAsync(
        string accountId, string region, string name, Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change, CancellationToken cancellationToken);

    /// <summary>Creates a stream in an existing group.</summary>
    Task<StreamCreation> CreateStreamAsync(string accountId, string region, string groupName, string streamName, DateTimeOffset created, CancellationToken cancellationToken);

    /// <summary>
    /// The stream of a build's log: creates the group (with <paramref name="created"/>, no retention) and the stream when
    /// missing, in one transaction. A stream of that name that exists is left as it is.
    /// </summary>
    Task EnsureBuildStreamAsync(string accountId, string region, string groupName, string streamName, string buildUuid, DateTimeOffset created, CancellationToken cancellationToken);

    Task<LogStreamRecord?> GetStreamAsync(string accountId, string region, string groupName, string streamName, CancellationToken cancellationToken);

    /// <summary>The group's streams, by name.</summary>
    Task<IReadOnlyList<LogStreamRecord>> ListStreamsAsync(string accountId, string region, string groupName, CancellationToken cancellationToken);

    /// <summary>Deletes the stream and its events; the deleted stream, or null.</summary>
    Task<LogStreamRecord?> DeleteStreamAsync(string accountId, string region, string groupName, string streamName, CancellationToken cancellationToken);

    /// <summary>Appends events, in order, after the stream's last; <paramref name="ingested"/> is when they arrived. False when there is no such stream.</summary>
    Task<bool> PutEventsAsync(long streamId, IReadOnlyList<LogEventInput> events, DateTimeOffset ingested, CancellationToken cancellationToken);

    /// <summary>The stream's stored events in <paramref name="range"/>, oldest first (by index).</summary>
    Task<BuildLogPage> ReadEventsAsync(long streamId, BuildLogRange range, CancellationToken cancellationToken);

    /// <summary>The stream's stored events matching <paramref name="search"/>, and where to resume when the limit cut it short.</summary>
    Task<BuildLogSearchResult> SearchEventsAsync(long streamId, BuildLogSearch search, CancellationToken cancellationToken);

    /// <summary>Deletes the group's stored events that happened before <paramref name="cutoff"/>; how many went.</summary>
    Task<long> DeleteEventsBeforeAsync(string accountId, string region, string groupName, DateTimeOffset cutoff, CancellationToken cancellationToken);
}

/// <summary>What CreateStreamAsync did.</summary>
public enum StreamCreation
{
    Created,
    GroupNotFound,
    AlreadyExists,
}
