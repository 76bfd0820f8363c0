using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Logs;

namespace Cairn.Application.Logs;

/// <summary>
/// CloudWatch Logs' operations, typed and authorized as the caller: log groups and streams (<see cref="ILogStore"/>), the
/// events PutLogEvents stores, and the build logs: a CodeBuild build's stream (group <c>/aws/codebuild/&lt;project&gt;</c>
/// or the project's logsConfig group, stream = uuid) is made when the build starts and reads its events from the build
/// log store (<see cref="IBuildLogStore"/>), one event per line. Every read is a range or a search, never a whole log.
/// The API's adapter (<c>Server/Services/Logs/LogsService</c>) turns JSON and tokens into these calls.
/// Operations by family: <c>.Reads</c>, <c>.Groups</c> (groups, streams, retention), <c>.Events</c>, <c>.Tags</c>.
/// </summary>
public sealed partial class LogService(ILogStore store, IBuildLogStore buildLogs, IAuthorizer authorizer, TimeProvider time)
{
    /// <summary>GetLogEvents' and FilterLogEvents' page size when the caller gives none.</summary>
    public const int DefaultEventLimit = 10000;

    /// <summary>DescribeLogGroups' and DescribeLogStreams' page size when the caller gives none.</summary>
    public const int DefaultDescribeLimit = 50;

    private static BuildScope ScopeOf(RequestContext context) => new(context.AccountId, context.Region);

    private async Task<LogGroupRecord> GroupAsync(RequestContext context, string group, CancellationToken cancellationToken) =>
        await store.GetGroupAsync(context.AccountId, context.Region, group, cancellationToken) ?? throw AwsErrors.LogGroupNotFound(group);

    /// <summary>The stream; ResourceNotFoundException names the group when it is the group that is missing.</summary>
    private async Task<LogStreamRecord> StreamAsync(RequestContext context, string group, string stream, CancellationToken cancellationToken)
    {
        if (await store.GetStreamAsync(context.AccountId, context.Region, group, stream, cancellationToken) is { } found)
        {
            return found;
        }

        await GroupAsync(context, group, cancellationToken);
        throw AwsErrors.LogStreamNotFound(group, stream);
    }

    /// <summary>A stream's events: a build's from the build log store, the others from the log store, with the same indexes.</summary>
    private async Task<BuildLogPage> ReadAsync(LogStreamRecord stream, BuildLogRange range, CancellationToken cancellationToken) =>
        stream.BuildUuid is { } uuid ? await buildLogs.ReadAsync(uuid, range, cancellationToken) : await store.ReadEventsAsync(stream.Id, range, cancellationToken);

    private async Task<BuildLogSearchResult> SearchAsync(LogStreamRecord stream, BuildLogSearch search, CancellationToken cancellationToken) =>
        stream.BuildUuid is { } uuid ? await buildLogs.SearchAsync(uuid, search, cancellationToken) : await store.SearchEventsAsync(stream.Id, search, cancellationToken);

    /// <summary>The stream's first and last event times; a build's come from its log.</summary>
    private async Task<(DateTimeOffset? First, DateTimeOffset? Last, DateTimeOffset? Ingested)> EventTimesAsync(LogStreamRecord stream, CancellationToken cancellationToken)
    {
        if (stream.BuildUuid is not { } uuid)
        {
            return (stream.FirstEventTime, stream.LastEventTime, stream.LastIngestionTime);
        }

        var info = await buildLogs.DescribeAsync(uuid, cancellationToken);
        return (info.FirstTimestamp, info.LastTimestamp, info.LastTimestamp);
    }

    /// <summary>A stream's storedBytes: what PutLogEvents stored, or a build's log as the build log store keeps it.</summary>
    private async Task<long> StoredBytesAsync(LogStreamRecord stream, CancellationToken cancellationToken) =>
        stream.BuildUuid is { } uuid ? await buildLogs.StoredBytesAsync(uuid, cancellationToken) : stream.StoredBytes;

    /// <summary>A group's storedBytes: the sum of its streams'.</summary>
    private async Task<long> StoredBytesAsync(LogGroupRecord group, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var stream in await store.ListStreamsAsync(group.AccountId, group.Region, group.Name, cancellationToken))
        {
            total += await StoredBytesAsync(stream, cancellationToken);
        }

        return total;
    }
}
