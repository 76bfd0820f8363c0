namespace Cairn.Storage.BuildLogs;

/// <summary>
/// Where build logs live: one log per build, named by the build's uuid, one event per line with the time it was written.
/// Lines arrive already masked (the build's event sink masks them), so a store never holds a secret. Every read takes
/// a range, a search or a follow position, so a large log is never read whole to answer one request. A new backend
/// implements the same contract (BuildLogStoreContractTests).
/// </summary>
public interface IBuildLogStore
{
    /// <summary>
    /// Opens the build's log for appending, creating it when new; lines go after the ones it holds. The log is
    /// incomplete until the writer is disposed. One writer per log at a time.
    /// </summary>
    IBuildLogWriter OpenWriter(string buildUuid);

    /// <summary>How many events the log holds, its first and last times, whether it is complete; empty when there is no log.</summary>
    ValueTask<BuildLogInfo> DescribeAsync(string buildUuid, CancellationToken cancellationToken);

    /// <summary>How many bytes the log takes where it is stored (0 when there is no log): CloudWatch Logs' storedBytes of a build's stream.</summary>
    ValueTask<long> StoredBytesAsync(string buildUuid, CancellationToken cancellationToken);

    /// <summary>The events of <paramref name="range"/>, oldest first; an empty page when the build has no log yet.</summary>
    ValueTask<BuildLogPage> ReadAsync(string buildUuid, BuildLogRange range, CancellationToken cancellationToken);

    /// <summary>The events matching <paramref name="search"/>, oldest first, and where to resume when the limit cut it short.</summary>
    ValueTask<BuildLogSearchResult> SearchAsync(string buildUuid, BuildLogSearch search, CancellationToken cancellationToken);

    /// <summary>
    /// Pages of the events from <paramref name="fromIndex"/> on, each as soon as it is written (waiting when there is
    /// none yet, also for a log not created yet), until the log is complete and every event has been returned.
    /// </summary>
    IAsyncEnumerable<BuildLogPage> FollowAsync(string buildUuid, long fromIndex, CancellationToken cancellationToken);

    /// <summary>Marks the log complete (creating an empty one when there is none): followers end once they have read it.</summary>
    ValueTask CompleteAsync(string buildUuid, CancellationToken cancellationToken);

    /// <summary>Deletes the build's log; nothing happens when there is none.</summary>
    ValueTask DeleteAsync(string buildUuid, CancellationToken cancellationToken);
}
