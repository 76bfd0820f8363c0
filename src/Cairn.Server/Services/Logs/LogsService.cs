using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;

namespace Cairn.Server.Services.Logs;

/// <summary>
/// The part of CloudWatch Logs (Logs_20140328) that reads build logs: each project is the log group
/// <c>/aws/codebuild/&lt;project&gt;</c> and each of its builds a log stream named by the build's uuid, one event per
/// line, so <c>aws logs get-log-events</c>, <c>filter-log-events</c> and <c>describe-log-streams</c> work as they do for
/// CodeBuild. Reads only, each a range or a search of the log store (<see cref="IBuildLogStore"/>), never a whole log.
/// </summary>
internal sealed partial class LogsService(IBuildStore store, IBuildLogStore logs, IAuthorizer authorizer) : IJsonService
{
    private const string GroupPrefix = "/aws/codebuild/";
    private const int DefaultEventLimit = 10000;
    private const int DefaultDescribeLimit = 50;

    public string TargetPrefix => "Logs_20140328";

    public string SigningName => "logs";

    public IReadOnlyCollection<string> Operations { get; } = ["GetLogEvents", "FilterLogEvents", "DescribeLogStreams", "DescribeLogGroups"];

    public Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "GetLogEvents" => GetLogEventsAsync(input, context, cancellationToken),
            "FilterLogEvents" => FilterLogEventsAsync(input, context, cancellationToken),
            "DescribeLogStreams" => DescribeLogStreamsAsync(input, context, cancellationToken),
            "DescribeLogGroups" => DescribeLogGroupsAsync(input, context, cancellationToken),
            _ => throw AwsErrors.UnknownOperation("CloudWatch Logs", operation, Operations),
        };

    private async Task<JsonObject> GetLogEventsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GetLogEvents);
        var scope = new BuildScope(context.AccountId, context.Region);
        var group = GroupNameOf(input);
        var streamName = input["logStreamName"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:GetLogEvents", scope.LogStreamArn(group, streamName), cancellationToken);

        var build = await StreamAsync(scope, group, streamName, cancellationToken);
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
        var page = (await logs.ReadAsync(build.Uuid, range, cancellationToken)).Events;
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

    private async Task<JsonObject> FilterLogEventsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.FilterLogEvents);
        var scope = new BuildScope(context.AccountId, context.Region);
        var group = GroupNameOf(input);
        await authorizer.AuthorizeAsync(context, "logs:FilterLogEvents", scope.LogGroupArn(group), cancellationToken);

        var streams = await StreamsAsync(scope, group, cancellationToken);
        if (input["logStreamNames"] is JsonArray names)
        {
            var wanted = names.Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            streams = streams.Where(s => wanted.Contains(s.LogStreamName)).ToList();
        }

        if (input["logStreamNamePrefix"]?.GetValue<string>() is { } prefix)
        {
            streams = streams.Where(s => s.LogStreamName.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        }

        var search = FilterPattern.Parse(input["filterPattern"]?.GetValue<string>()).ToSearch(Time(input, "startTime"), Time(input, "endTime"));
        var limit = Int(input, "limit") ?? DefaultEventLimit;
        var (fromStream, fromEvent) = ParseFilterToken(input["nextToken"]?.GetValue<string>());

        var events = new JsonArray();
        string? nextToken = null;
        for (var s = fromStream; s < streams.Count && nextToken is null; s++)
        {
            // With the limit reached, a search of limit 0 still tells whether (and where) the next match is.
            var found = await logs.SearchAsync(streams[s].Uuid, search.With(s == fromStream ? fromEvent : 0, limit - events.Count), cancellationToken);
            if (found.Next is { } next)
            {
                nextToken = FilterToken(s, next);
            }

            foreach (var e in found.Events)
            {
                events.Add(new JsonObject
                {
                    ["logStreamName"] = streams[s].LogStreamName,
                    ["timestamp"] = e.Timestamp.ToUnixTimeMilliseconds(),
                    ["message"] = e.Message,
                    ["ingestionTime"] = e.Timestamp.ToUnixTimeMilliseconds(),
                    ["eventId"] = string.Create(CultureInfo.InvariantCulture, $"{s:D8}{e.Index:D20}"),
                });
            }
        }

        var result = new JsonObject
        {
            ["events"] = events,
            ["searchedLogStreams"] = new JsonArray(streams.Select(s => (JsonNode)new JsonObject
            {
                ["logStreamName"] = s.LogStreamName,
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
        var scope = new BuildScope(context.AccountId, context.Region);
        var group = GroupNameOf(input);
        await authorizer.AuthorizeAsync(context, "logs:DescribeLogStreams", scope.LogGroupArn(group), cancellationToken);

        var streams = new List<(BuildRecord Build, BuildLogInfo Log)>();
        foreach (var build in await StreamsAsync(scope, group, cancellationToken))
        {
            streams.Add((build, await logs.DescribeAsync(build.Uuid, cancellationToken)));
        }

        if (input["logStreamNamePrefix"]?.GetValue<string>() is { } prefix)
        {
            if (input["orderBy"]?.GetValue<string>() == "LastEventTime")
            {
                throw AwsErrors.InvalidLogsParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
            }

            streams = streams.Where(s => s.Build.LogStreamName.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        }

        IEnumerable<(BuildRecord Build, BuildLogInfo Log)> ordered = input["orderBy"]?.GetValue<string>() == "LastEventTime"
            ? streams.OrderBy(s => s.Log.LastTimestamp ?? s.Build.StartTime)
            : streams.OrderBy(s => s.Build.LogStreamName, StringComparer.Ordinal);
        if (input["descending"]?.GetValue<bool>() == true)
        {
            ordered = ordered.Reverse();
        }

        var offset = (int)(ParseOffsetToken(input["nextToken"]?.GetValue<string>()));
        var limit = Int(input, "limit") ?? DefaultDescribeLimit;
        var all = ordered.ToList();
        var page = all.Skip(offset).Take(limit).ToList();
        var result = new JsonObject
        {
            ["logStreams"] = new JsonArray(page.Select(s =>
            {
                var stream = new JsonObject
                {
                    ["logStreamName"] = s.Build.LogStreamName,
                    ["creationTime"] = s.Build.StartTime.ToUnixTimeMilliseconds(),
                };
                if (s.Log is { FirstTimestamp: { } first, LastTimestamp: { } last })
                {
                    stream["firstEventTimestamp"] = first.ToUnixTimeMilliseconds();
                    stream["lastEventTimestamp"] = last.ToUnixTimeMilliseconds();
                    stream["lastIngestionTime"] = last.ToUnixTimeMilliseconds();
                }

                stream["arn"] = scope.LogStreamArn(group, s.Build.LogStreamName);
                stream["storedBytes"] = 0;
                return (JsonNode)stream;
            }).ToArray()),
        };
        if (offset + page.Count < all.Count)
        {
            result["nextToken"] = OffsetToken(offset + page.Count);
        }

        return result;
    }

    /// <summary>One log group per project: its name is /aws/codebuild/&lt;project&gt;.</summary>
    private async Task<JsonObject> DescribeLogGroupsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.DescribeLogGroups);
        var scope = new BuildScope(context.AccountId, context.Region);
        await authorizer.AuthorizeAsync(context, "logs:DescribeLogGroups", scope.LogGroupArn("*"), cancellationToken);

        var prefix = input["logGroupNamePrefix"]?.GetValue<string>() ?? string.Empty;
        var pattern = input["logGroupNamePattern"]?.GetValue<string>();
        var groups = (await store.ListProjectsAsync(scope, cancellationToken))
            .Select(p => (Name: BuildScope.LogGroupName(p.Name), p.Created))
            .Where(g => g.Name.StartsWith(prefix, StringComparison.Ordinal) && (pattern is null || g.Name.Contains(pattern, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        var offset = (int)ParseOffsetToken(input["nextToken"]?.GetValue<string>());
        var limit = Int(input, "limit") ?? DefaultDescribeLimit;
        var page = groups.Skip(offset).Take(limit).ToList();
        var result = new JsonObject
        {
            ["logGroups"] = new JsonArray(page.Select(g => (JsonNode)new JsonObject
            {
                ["logGroupName"] = g.Name,
                ["creationTime"] = g.Created.ToUnixTimeMilliseconds(),
                ["metricFilterCount"] = 0,
                ["arn"] = scope.LogGroupArn(g.Name) + ":*",
                ["storedBytes"] = 0,
                ["logGroupClass"] = "STANDARD",
                ["logGroupArn"] = scope.LogGroupArn(g.Name),
            }).ToArray()),
        };
        if (offset + page.Count < groups.Count)
        {
            result["nextToken"] = OffsetToken(offset + page.Count);
        }

        return result;
    }

    /// <summary>The group's name from logGroupName or logGroupIdentifier (a name or a log group ARN); exactly one is needed.</summary>
    /// <summary>CloudWatch Logs answers a failed constraint with InvalidParameterException, in the validator's words.</summary>
    private static void Validate(JsonObject input, StructureShape shape) => InputValidator.Validate(input, shape, AwsErrors.InvalidLogsParameter);

    private static string GroupNameOf(JsonObject input)
    {
        var name = input["logGroupName"]?.GetValue<string>();
        var identifier = input["logGroupIdentifier"]?.GetValue<string>();
        if ((name is null) == (identifier is null))
        {
            throw AwsErrors.InvalidLogsParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }

        if (name is not null)
        {
            return name;
        }

        const string Marker = ":log-group:";
        var at = identifier!.IndexOf(Marker, StringComparison.Ordinal);
        var group = at < 0 ? identifier : identifier[(at + Marker.Length)..];
        return group.EndsWith(":*", StringComparison.Ordinal) ? group[..^2] : group;
    }

    /// <summary>The builds of the group's project, oldest first; the group must exist (its project, or builds of it).</summary>
    private async Task<List<BuildRecord>> StreamsAsync(BuildScope scope, string group, CancellationToken cancellationToken)
    {
        var project = ProjectOf(group);
        var builds = new List<BuildRecord>();
        long? after = null;
        do
        {
            var page = await store.ListBuildIdsAsync(scope, project, ascending: true, after, 100, cancellationToken);
            foreach (var id in page.Ids)
            {
                if (await store.GetBuildAsync(scope, id[(id.LastIndexOf(':') + 1)..], cancellationToken) is { } build)
                {
                    builds.Add(build);
                }
            }

            after = page.NextAfter;
        }
        while (after is not null);

        if (builds.Count == 0 && await store.GetProjectAsync(scope, project, cancellationToken) is null)
        {
            throw AwsErrors.LogGroupNotFound(group);
        }

        return builds;
    }

    private async Task<BuildRecord> StreamAsync(BuildScope scope, string group, string streamName, CancellationToken cancellationToken)
    {
        var project = ProjectOf(group);
        var build = Guid.TryParseExact(streamName, "D", out _) ? await store.GetBuildAsync(scope, streamName, cancellationToken) : null;
        if (build is not null && build.ProjectName == project)
        {
            return build;
        }

        if (await store.GetProjectAsync(scope, project, cancellationToken) is null
            && (await store.ListBuildIdsAsync(scope, project, true, null, 1, cancellationToken)).Ids.Count == 0)
        {
            throw AwsErrors.LogGroupNotFound(group);
        }

        throw AwsErrors.LogStreamNotFound(group, streamName);
    }

    private static string ProjectOf(string group) =>
        group.StartsWith(GroupPrefix, StringComparison.Ordinal) && group.Length > GroupPrefix.Length
            ? group[GroupPrefix.Length..]
            : throw AwsErrors.LogGroupNotFound(group);

    /// <summary>A time member; one past the year 9999 is the latest time there is.</summary>
    private static DateTimeOffset? Time(JsonObject input, string member) =>
        Long(input, member) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(ms, DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())) : null;

    private static int? Int(JsonObject input, string member) => input[member] is { } node ? int.Parse(node.ToJsonString(), CultureInfo.InvariantCulture) : null;

    private static long? Long(JsonObject input, string member) => input[member] is { } node ? long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture) : null;

    private static string EventToken(char direction, long position) => string.Create(CultureInfo.InvariantCulture, $"{direction}/{position:D20}");

    private static (char Direction, long Position) ParseEventToken(string token) =>
        token.Length > 2 && token[0] is 'f' or 'b' && token[1] == '/' && long.TryParse(token.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? (token[0], position)
            : throw AwsErrors.InvalidLogsParameter("The specified nextToken is invalid.");

    private static string FilterToken(int stream, long eventIndex) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"cairn-filter:{stream}:{eventIndex}")));

    private static (int Stream, long Event) ParseFilterToken(string? token)
    {
        if (token is null)
        {
            return (0, 0);
        }

        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(token)).Split(':');
            if (parts.Length == 3 && parts[0] == "cairn-filter")
            {
                return (int.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        throw AwsErrors.InvalidLogsParameter("The specified nextToken is invalid.");
    }

    private static string OffsetToken(int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"cairn-offset:{offset}")));

    private static long ParseOffsetToken(string? token)
    {
        if (token is null)
        {
            return 0;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("cairn-offset:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(13), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        throw AwsErrors.InvalidLogsParameter("The specified nextToken is invalid.");
    }
}
