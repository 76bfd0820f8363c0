using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Logs;

namespace Cairn.Server.Services.Logs;

/// <summary>GetLogEvents, FilterLogEvents, DescribeLogStreams, DescribeLogGroups.</summary>
internal sealed partial class LogsService
{
    private async Task<JsonObject> GetLogEventsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GetLogEvents);
        var group = GroupNameOf(input);
        var streamName = input["logStreamName"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:GetLogEvents", ScopeOf(context).LogStreamArn(group, streamName), cancellationToken);

        var stream = await StreamAsync(context, group, streamName, cancellationToken);
        var range = new BuildLogRange
        {
            Limit = Int(input, "limit") ?? DefaultEventLimit,
            Since = Time(input, "startTime"),
            Until = Time(input, "endTime"),
        };
        var token = input["nextToken"]?.GetValue<string>();

        // A forward token reads from its event on, a backward one the events before it; without one, the first or the last events.
        var (direction, position) = token is null ? ('h', 0L) : ParseEventToken(token);
        range = direction switch
        {
            'f' => range with { From = position },
            'b' => range with { To = position, FromEnd = true },
            _ => input["startFromHead"]?.GetValue<bool>() == true ? range : range with { FromEnd = true },
        };
        var page = (await ReadAsync(stream, range, cancellationToken)).Events;
        var forward = page.Count > 0 ? page[^1].Index + 1 : position;
        var backward = page.Count > 0 ? page[0].Index : position;

        return new JsonObject
        {
            ["events"] = new JsonArray(page.Select(e => (JsonNode)new JsonObject
            {
                ["timestamp"] = e.Timestamp.ToUnixTimeMilliseconds(),
                ["message"] = e.Message,
                ["ingestionTime"] = e.Timestamp.ToUnixTimeMilliseconds(),
            }).ToArray()),
            ["nextForwardToken"] = EventToken('f', forward),
            ["nextBackwardToken"] = EventToken('b', backward),
        };
    }

    /// <summary>
    /// Searches the group's streams oldest first (a build's stream is as old as the build); an event's id is its stream's
    /// number and its index, the same in every call, which <c>aws logs tail --follow</c> relies on to skip what it has shown.
    /// </summary>
    private async Task<JsonObject> FilterLogEventsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.FilterLogEvents);
        var group = GroupNameOf(input);
        await authorizer.AuthorizeAsync(context, "logs:FilterLogEvents", ScopeOf(context).LogGroupArn(group), cancellationToken);

        var search = FilterPattern.Parse(input["filterPattern"]?.GetValue<string>()).ToSearch(Time(input, "startTime"), Time(input, "endTime"));
        await GroupAsync(context, group, cancellationToken);
        IEnumerable<LogStreamRecord> selected = await store.ListStreamsAsync(context.AccountId, context.Region, group, cancellationToken);
        if (input["logStreamNames"] is JsonArray names)
        {
            var wanted = names.Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            selected = selected.Where(s => wanted.Contains(s.Name));
        }

        if (input["logStreamNamePrefix"]?.GetValue<string>() is { } prefix)
        {
            selected = selected.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));
        }

        var streams = selected.OrderBy(s => s.Created).ThenBy(s => s.Id).ToList();
        var limit = Int(input, "limit") ?? DefaultEventLimit;
        var (fromStream, fromEvent) = ParseFilterToken(input["nextToken"]?.GetValue<string>());

        var events = new JsonArray();
        string? nextToken = null;
        for (var s = fromStream; s < streams.Count && nextToken is null; s++)
        {
            // With the limit reached, a search of limit 0 still tells whether (and where) the next match is.
            var found = await SearchAsync(streams[s], search.With(s == fromStream ? fromEvent : 0, limit - events.Count), cancellationToken);
            if (found.Next is { } next)
            {
                nextToken = FilterToken(s, next);
            }

            foreach (var e in found.Events)
            {
                events.Add(new JsonObject
                {
                    ["logStreamName"] = streams[s].Name,
                    ["timestamp"] = e.Timestamp.ToUnixTimeMilliseconds(),
                    ["message"] = e.Message,
                    ["ingestionTime"] = e.Timestamp.ToUnixTimeMilliseconds(),
                    ["eventId"] = string.Create(CultureInfo.InvariantCulture, $"{streams[s].Id:D12}{e.Index:D20}"),
                });
            }
        }

        var result = new JsonObject
        {
            ["events"] = events,
            ["searchedLogStreams"] = new JsonArray(streams.Select(s => (JsonNode)new JsonObject
            {
                ["logStreamName"] = s.Name,
                ["searchedCompletely"] = nextToken is null,
            }).ToArray()),
        };
        if (nextToken is not null)
        {
            result["nextToken"] = nextToken;
        }

        return result;
    }

    private async Task<JsonObject> DescribeLogStreamsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.DescribeLogStreams);
        var scope = ScopeOf(context);
        var group = GroupNameOf(input);
        await authorizer.AuthorizeAsync(context, "logs:DescribeLogStreams", scope.LogGroupArn(group), cancellationToken);

        await GroupAsync(context, group, cancellationToken);
        var byLastEvent = input["orderBy"]?.GetValue<string>() == "LastEventTime";
        IEnumerable<LogStreamRecord> listed = await store.ListStreamsAsync(context.AccountId, context.Region, group, cancellationToken);
        if (input["logStreamNamePrefix"]?.GetValue<string>() is { } prefix)
        {
            if (byLastEvent)
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

        IEnumerable<(LogStreamRecord Stream, (DateTimeOffset? First, DateTimeOffset? Last, DateTimeOffset? Ingested) Times)> ordered = byLastEvent
            ? streams.OrderBy(s => s.Times.Last ?? s.Stream.Created)
            : streams.OrderBy(s => s.Stream.Name, StringComparer.Ordinal);
        if (input["descending"]?.GetValue<bool>() == true)
        {
            ordered = ordered.Reverse();
        }

        var offset = (int)ParseOffsetToken(input["nextToken"]?.GetValue<string>());
        var limit = Int(input, "limit") ?? DefaultDescribeLimit;
        var all = ordered.ToList();
        var page = all.Skip(offset).Take(limit).ToList();
        var storedBytes = new Dictionary<long, long>();
        foreach (var s in page)
        {
            storedBytes[s.Stream.Id] = await StoredBytesAsync(s.Stream, cancellationToken);
        }

        var result = new JsonObject
        {
            ["logStreams"] = new JsonArray(page.Select(s =>
            {
                var stream = new JsonObject
                {
                    ["logStreamName"] = s.Stream.Name,
                    ["creationTime"] = s.Stream.Created.ToUnixTimeMilliseconds(),
                };
                if (s.Times is { First: { } first, Last: { } last })
                {
                    stream["firstEventTimestamp"] = first.ToUnixTimeMilliseconds();
                    stream["lastEventTimestamp"] = last.ToUnixTimeMilliseconds();
                    stream["lastIngestionTime"] = (s.Times.Ingested ?? last).ToUnixTimeMilliseconds();
                }

                stream["arn"] = scope.LogStreamArn(group, s.Stream.Name);
                stream["storedBytes"] = storedBytes[s.Stream.Id];
                return (JsonNode)stream;
            }).ToArray()),
        };
        if (offset + page.Count < all.Count)
        {
            result["nextToken"] = OffsetToken(offset + page.Count);
        }

        return result;
    }

    private async Task<JsonObject> DescribeLogGroupsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.DescribeLogGroups);
        var scope = ScopeOf(context);
        await authorizer.AuthorizeAsync(context, "logs:DescribeLogGroups", scope.LogGroupArn("*"), cancellationToken);

        var prefix = input["logGroupNamePrefix"]?.GetValue<string>();
        var pattern = input["logGroupNamePattern"]?.GetValue<string>();
        if (prefix is not null && pattern is not null)
        {
            throw AwsErrors.InvalidLogsParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }

        var groups = (await store.ListGroupsAsync(context.AccountId, context.Region, prefix ?? string.Empty, cancellationToken))
            .Where(g => pattern is null || g.Name.Contains(pattern, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var offset = (int)ParseOffsetToken(input["nextToken"]?.GetValue<string>());
        var limit = Int(input, "limit") ?? DefaultDescribeLimit;
        var page = groups.Skip(offset).Take(limit).ToList();
        var storedBytes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var g in page)
        {
            storedBytes[g.Name] = await StoredBytesAsync(g, cancellationToken);
        }

        var result = new JsonObject
        {
            ["logGroups"] = new JsonArray(page.Select(g =>
            {
                var json = new JsonObject
                {
                    ["logGroupName"] = g.Name,
                    ["creationTime"] = g.Created.ToUnixTimeMilliseconds(),
                };
                if (g.RetentionInDays is { } days)
                {
                    json["retentionInDays"] = days;
                }

                json["metricFilterCount"] = 0;
                json["arn"] = scope.LogGroupArn(g.Name) + ":*";
                json["storedBytes"] = storedBytes[g.Name];
                if (g.KmsKeyId is { } key)
                {
                    json["kmsKeyId"] = key;
                }

                json["logGroupClass"] = g.LogGroupClass;
                json["logGroupArn"] = scope.LogGroupArn(g.Name);
                json["deletionProtectionEnabled"] = g.DeletionProtection;
                return (JsonNode)json;
            }).ToArray()),
        };
        if (offset + page.Count < groups.Count)
        {
            result["nextToken"] = OffsetToken(offset + page.Count);
        }

        return result;
    }
}
