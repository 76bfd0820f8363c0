using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Application.Logs;
using Cairn.Core.Identity;

namespace Cairn.Server.Services.Logs;

/// <summary>GetLogEvents, FilterLogEvents, DescribeLogStreams, DescribeLogGroups.</summary>
internal sealed partial class LogsService
{
    private async Task<JsonObject> GetLogEventsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GetLogEvents);
        var token = input["nextToken"]?.GetValue<string>();
        var page = await logs.GetEventsAsync(context, new GetLogEventsRequest(GroupNameOf(input), input["logStreamName"]!.GetValue<string>())
        {
            Limit = Int(input, "limit") ?? LogService.DefaultEventLimit,
            Since = Time(input, "startTime"),
            Until = Time(input, "endTime"),
            StartFromHead = input["startFromHead"]?.GetValue<bool>() == true,
            Cursor = token is null ? null : ParseEventToken(token),
        }, cancellationToken);

        return new JsonObject
        {
            ["events"] = new JsonArray(page.Events.Select(e => (JsonNode)new JsonObject
            {
                ["timestamp"] = e.Timestamp.ToUnixTimeMilliseconds(),
                ["message"] = e.Message,
                ["ingestionTime"] = e.Timestamp.ToUnixTimeMilliseconds(),
            }).ToArray()),
            ["nextForwardToken"] = EventToken('f', page.ForwardPosition),
            ["nextBackwardToken"] = EventToken('b', page.BackwardPosition),
        };
    }

    /// <summary>An event's id is its stream's number and its index, the same in every call (<c>aws logs tail --follow</c> relies on it).</summary>
    private async Task<JsonObject> FilterLogEventsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.FilterLogEvents);
        var found = await logs.FilterEventsAsync(context, new FilterLogEventsRequest(GroupNameOf(input))
        {
            Pattern = input["filterPattern"]?.GetValue<string>(),
            Since = Time(input, "startTime"),
            Until = Time(input, "endTime"),
            StreamNames = (input["logStreamNames"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList(),
            StreamNamePrefix = input["logStreamNamePrefix"]?.GetValue<string>(),
            Limit = Int(input, "limit") ?? LogService.DefaultEventLimit,
            From = ParseFilterToken(input["nextToken"]?.GetValue<string>()),
        }, cancellationToken);

        var result = new JsonObject
        {
            ["events"] = new JsonArray(found.Events.Select(e => (JsonNode)new JsonObject
            {
                ["logStreamName"] = e.Stream.Name,
                ["timestamp"] = e.Event.Timestamp.ToUnixTimeMilliseconds(),
                ["message"] = e.Event.Message,
                ["ingestionTime"] = e.Event.Timestamp.ToUnixTimeMilliseconds(),
                ["eventId"] = string.Create(CultureInfo.InvariantCulture, $"{e.Stream.Id:D12}{e.Event.Index:D20}"),
            }).ToArray()),
            ["searchedLogStreams"] = new JsonArray(found.Searched.Select(s => (JsonNode)new JsonObject
            {
                ["logStreamName"] = s.Name,
                ["searchedCompletely"] = found.Next is null,
            }).ToArray()),
        };
        if (found.Next is { } next)
        {
            result["nextToken"] = FilterToken(next.Stream, next.Event);
        }

        return result;
    }

    private async Task<JsonObject> DescribeLogStreamsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.DescribeLogStreams);
        var listing = await logs.DescribeStreamsAsync(context, new DescribeLogStreamsRequest(GroupNameOf(input))
        {
            Prefix = input["logStreamNamePrefix"]?.GetValue<string>(),
            OrderByLastEventTime = input["orderBy"]?.GetValue<string>() == "LastEventTime",
            Descending = input["descending"]?.GetValue<bool>() == true,
            Offset = ParseOffsetToken(input["nextToken"]?.GetValue<string>()),
            Limit = Int(input, "limit") ?? LogService.DefaultDescribeLimit,
        }, cancellationToken);

        var result = new JsonObject
        {
            ["logStreams"] = new JsonArray(listing.Items.Select(s =>
            {
                var stream = new JsonObject
                {
                    ["logStreamName"] = s.Stream.Name,
                    ["creationTime"] = s.Stream.Created.ToUnixTimeMilliseconds(),
                };
                if (s is { FirstEvent: { } first, LastEvent: { } last })
                {
                    stream["firstEventTimestamp"] = first.ToUnixTimeMilliseconds();
                    stream["lastEventTimestamp"] = last.ToUnixTimeMilliseconds();
                    stream["lastIngestionTime"] = (s.LastIngestion ?? last).ToUnixTimeMilliseconds();
                }

                stream["arn"] = s.Arn;
                stream["storedBytes"] = s.StoredBytes;
                return (JsonNode)stream;
            }).ToArray()),
        };
        if (listing.NextOffset is { } next)
        {
            result["nextToken"] = OffsetToken(next);
        }

        return result;
    }

    private async Task<JsonObject> DescribeLogGroupsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.DescribeLogGroups);
        var listing = await logs.DescribeGroupsAsync(context, new DescribeLogGroupsRequest
        {
            Prefix = input["logGroupNamePrefix"]?.GetValue<string>(),
            Pattern = input["logGroupNamePattern"]?.GetValue<string>(),
            Offset = ParseOffsetToken(input["nextToken"]?.GetValue<string>()),
            Limit = Int(input, "limit") ?? LogService.DefaultDescribeLimit,
        }, cancellationToken);

        var result = new JsonObject
        {
            ["logGroups"] = new JsonArray(listing.Items.Select(view =>
            {
                var g = view.Group;
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
                json["arn"] = view.Arn + ":*";
                json["storedBytes"] = view.StoredBytes;
                if (g.KmsKeyId is { } key)
                {
                    json["kmsKeyId"] = key;
                }

                json["logGroupClass"] = g.LogGroupClass;
                json["logGroupArn"] = view.Arn;
                json["deletionProtectionEnabled"] = g.DeletionProtection;
                return (JsonNode)json;
            }).ToArray()),
        };
        if (listing.NextOffset is { } next)
        {
            result["nextToken"] = OffsetToken(next);
        }

        return result;
    }
}
