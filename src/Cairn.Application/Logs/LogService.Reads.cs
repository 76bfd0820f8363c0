using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Logs;

namespace Cairn.Application.Logs;

/// <summary>GetLogEvents, FilterLogEvents, DescribeLogStreams, DescribeLogGroups.</summary>
public sealed partial class LogService
{
    public async Task<LogEventsPage> GetEventsAsync(RequestContext context, GetLogEventsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        await authorizer.AuthorizeAsync(context, "logs:GetLogEvents", ScopeOf(context).LogStreamArn(request.Group, request.Stream), cancellationToken);

        var stream = await StreamAsync(context, request.Group, request.Stream, cancellationToken);
        var range = new BuildLogRange { Limit = request.Limit, Since = request.Since, Until = request.Until };

        // A forward cursor reads from its event on, a backward one the events before it; without one, the first or the last events.
        var position = request.Cursor?.Position ?? 0;
        range = request.Cursor switch
        {
            { Backward: false } cursor => range with { From = cursor.Position },
            { Backward: true } cursor => range with { To = cursor.Position, FromEnd = true },
            null => request.StartFromHead ? range : range with { FromEnd = true },
        };
        var page = (await ReadAsync(stream, range, cancellationToken)).Events;
        return new LogEventsPage(page, page.Count > 0 ? page[^1].Index + 1 : position, page.Count > 0 ? page[0].Index : position);
    }

    /// <summary>
    /// Searches the group's streams oldest first (a build's stream is as old as the build); an event's place is its stream's
    /// number and its index, the same in every call, which <c>aws logs tail --follow</c> relies on to skip what it has shown.
    /// </summary>
    public async Task<FilteredLogEvents> FilterEventsAsync(RequestContext context, FilterLogEventsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        await authorizer.AuthorizeAsync(context, "logs:FilterLogEvents", ScopeOf(context).LogGroupArn(request.Group), cancellationToken);

        var search = FilterPattern.Parse(request.Pattern).ToSearch(request.Since, request.Until);
        await GroupAsync(context, request.Group, cancellationToken);
        IEnumerable<LogStreamRecord> selected = await store.ListStreamsAsync(context.AccountId, context.Region, request.Group, cancellationToken);
        if (request.StreamNames is { } names)
        {
            var wanted = names.ToHashSet(StringComparer.Ordinal);
            selected = selected.Where(s => wanted.Contains(s.Name));
        }

        if (request.StreamNamePrefix is { } prefix)
        {
            selected = selected.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));
        }

        var streams = selected.OrderBy(s => s.Created).ThenBy(s => s.Id).ToList();
        var events = new List<FilteredLogEvent>();
        LogFilterCursor? next = null;
        for (var s = request.From.Stream; s < streams.Count && next is null; s++)
        {
            // With the limit reached, a search of limit 0 still tells whether (and where) the next match is.
            var found = await SearchAsync(streams[s], search.With(s == request.From.Stream ? request.From.Event : 0, request.Limit - events.Count), cancellationToken);
            if (found.Next is { } at)
            {
                next = new LogFilterCursor(s, at);
            }

            events.AddRange(found.Events.Select(e => new FilteredLogEvent(streams[s], e)));
        }

        return new FilteredLogEvents(events, streams, next);
    }

    public async Task<LogListing<LogStreamView>> DescribeStreamsAsync(RequestContext context, DescribeLogStreamsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var scope = ScopeOf(context);
        await authorizer.AuthorizeAsync(context, "logs:DescribeLogStreams", scope.LogGroupArn(request.Group), cancellationToken);

        await GroupAsync(context, request.Group, cancellationToken);
        IEnumerable<LogStreamRecord> listed = await store.ListStreamsAsync(context.AccountId, context.Region, request.Group, cancellationToken);
        if (request.Prefix is { } prefix)
        {
            if (request.OrderByLastEventTime)
            {
                throw AwsErrors.InvalidLogsParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
            }

            listed = listed.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));
        }

        var streams = new List<(LogStreamRecord Stream, (DateTimeOffset? First, DateTimeOffset? Last, DateTimeOffset? Ingested) Times)>();
        foreach (var stream in listed)
        {
            streams.Add((stream, await EventTimesAsync(stream, cancellationToken)));
        }

        var ordered = request.OrderByLastEventTime
            ? streams.OrderBy(s => s.Times.Last ?? s.Stream.Created).ToList()
            : streams.OrderBy(s => s.Stream.Name, StringComparer.Ordinal).ToList();
        if (request.Descending)
        {
            ordered.Reverse();
        }

        var views = new List<LogStreamView>();
        foreach (var (stream, times) in ordered.Skip(request.Offset).Take(request.Limit))
        {
            views.Add(new LogStreamView(
                stream, scope.LogStreamArn(request.Group, stream.Name), times.First, times.Last, times.Ingested, await StoredBytesAsync(stream, cancellationToken)));
        }

        return new LogListing<LogStreamView>(views, request.Offset + views.Count < ordered.Count ? request.Offset + views.Count : null);
    }

    public async Task<LogListing<LogGroupView>> DescribeGroupsAsync(RequestContext context, DescribeLogGroupsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var scope = ScopeOf(context);
        await authorizer.AuthorizeAsync(context, "logs:DescribeLogGroups", scope.LogGroupArn("*"), cancellationToken);
        if (request.Prefix is not null && request.Pattern is not null)
        {
            throw AwsErrors.InvalidLogsParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }

        var groups = (await store.ListGroupsAsync(context.AccountId, context.Region, request.Prefix ?? string.Empty, cancellationToken))
            .Where(g => request.Pattern is null || g.Name.Contains(request.Pattern, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var views = new List<LogGroupView>();
        foreach (var group in groups.Skip(request.Offset).Take(request.Limit))
        {
            views.Add(new LogGroupView(group, scope.LogGroupArn(group.Name), await StoredBytesAsync(group, cancellationToken)));
        }

        return new LogListing<LogGroupView>(views, request.Offset + views.Count < groups.Count ? request.Offset + views.Count : null);
    }
}
