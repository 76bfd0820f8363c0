using Cairn.Storage.BuildLogs;
using Cairn.Storage.Logs;

namespace Cairn.Application.Logs;

/// <summary>CreateLogGroup's request.</summary>
public sealed record CreateLogGroupRequest(string Name)
{
    public string? LogGroupClass { get; init; }

    public string? KmsKeyId { get; init; }

    public bool DeletionProtection { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>Where a GetLogEvents page starts: from an event on (forward) or before it (backward), as a page's tokens say.</summary>
public readonly record struct LogEventCursor(bool Backward, long Position);

/// <summary>GetLogEvents' request: without a cursor, the first events (<see cref="StartFromHead"/>) or the last ones.</summary>
public sealed record GetLogEventsRequest(string Group, string Stream)
{
    public int Limit { get; init; } = LogService.DefaultEventLimit;

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public bool StartFromHead { get; init; }

    public LogEventCursor? Cursor { get; init; }
}

/// <summary>A page of a stream's events and where the next pages forward and backward start.</summary>
public sealed record LogEventsPage(IReadOnlyList<BuildLogEvent> Events, long ForwardPosition, long BackwardPosition);

/// <summary>Where a FilterLogEvents search goes on: the stream's place in the search order and the event index in it.</summary>
public readonly record struct LogFilterCursor(int Stream, long Event);

/// <summary>FilterLogEvents' request: a term filter pattern over some or all of a group's streams.</summary>
public sealed record FilterLogEventsRequest(string Group)
{
    public string? Pattern { get; init; }

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public IReadOnlyCollection<string>? StreamNames { get; init; }

    public string? StreamNamePrefix { get; init; }

    public int Limit { get; init; } = LogService.DefaultEventLimit;

    public LogFilterCursor From { get; init; }
}

/// <summary>An event FilterLogEvents found, with its stream.</summary>
public sealed record FilteredLogEvent(LogStreamRecord Stream, BuildLogEvent Event);

/// <summary>FilterLogEvents' answer: the events, the streams searched, and where the search goes on when it stopped at the limit.</summary>
public sealed record FilteredLogEvents(IReadOnlyList<FilteredLogEvent> Events, IReadOnlyList<LogStreamRecord> Searched, LogFilterCursor? Next);

/// <summary>DescribeLogStreams' request; <see cref="Offset"/> is how many streams earlier pages showed.</summary>
public sealed record DescribeLogStreamsRequest(string Group)
{
    public string? Prefix { get; init; }

    public bool OrderByLastEventTime { get; init; }

    public bool Descending { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = LogService.DefaultDescribeLimit;
}

/// <summary>A stream as DescribeLogStreams shows it: its event times (a build's from its log) and stored bytes.</summary>
public sealed record LogStreamView(LogStreamRecord Stream, string Arn, DateTimeOffset? FirstEvent, DateTimeOffset? LastEvent, DateTimeOffset? LastIngestion, long StoredBytes);

/// <summary>DescribeLogGroups' request; a prefix and a pattern exclude each other.</summary>
public sealed record DescribeLogGroupsRequest
{
    public string? Prefix { get; init; }

    public string? Pattern { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = LogService.DefaultDescribeLimit;
}

/// <summary>A group as DescribeLogGroups shows it.</summary>
public sealed record LogGroupView(LogGroupRecord Group, string Arn, long StoredBytes);

/// <summary>A Describe page; <see cref="NextOffset"/> is null on the last page.</summary>
public sealed record LogListing<T>(IReadOnlyList<T> Items, int? NextOffset);

/// <summary>What PutLogEvents stored and left out (indexes into the batch, as rejectedLogEventsInfo says).</summary>
public sealed record PutLogEventsResult(DateTimeOffset StoredAt, int? TooNewStartIndex, int? TooOldEndIndex, int? ExpiredEndIndex);
