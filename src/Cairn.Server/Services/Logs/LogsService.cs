using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Logs;

namespace Cairn.Server.Services.Logs;

/// <summary>
/// CloudWatch Logs (Logs_20140328): log groups and streams (<see cref="ILogStore"/>), the events PutLogEvents stores, and
/// the build logs: a CodeBuild build's stream (group <c>/aws/codebuild/&lt;project&gt;</c> or the project's
/// logsConfig group, stream = uuid) is made when the build starts and reads its events from the build log store
/// (<see cref="IBuildLogStore"/>), one event per line. Every read is a range or a search, never a whole log.
/// Operations by family: <c>.Reads</c>, <c>.Groups</c> (groups, streams, retention), <c>.Events</c>, <c>.Tags</c>.
/// </summary>
internal sealed partial class LogsService(ILogStore store, IBuildLogStore buildLogs, IAuthorizer authorizer, TimeProvider time) : IJsonService
{
    private const int DefaultEventLimit = 10000;
    private const int DefaultDescribeLimit = 50;

    public string TargetPrefix => "Logs_20140328";

    public string SigningName => "logs";

    public IReadOnlyCollection<string> Operations { get; } =
    [
        "GetLogEvents", "FilterLogEvents", "DescribeLogStreams", "DescribeLogGroups",
        "CreateLogGroup", "DeleteLogGroup", "CreateLogStream", "DeleteLogStream", "PutRetentionPolicy", "DeleteRetentionPolicy",
        "PutLogEvents",
        "TagResource", "UntagResource", "ListTagsForResource", "TagLogGroup", "UntagLogGroup", "ListTagsLogGroup",
    ];

    public Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "GetLogEvents" => GetLogEventsAsync(input, context, cancellationToken),
            "FilterLogEvents" => FilterLogEventsAsync(input, context, cancellationToken),
            "DescribeLogStreams" => DescribeLogStreamsAsync(input, context, cancellationToken),
            "DescribeLogGroups" => DescribeLogGroupsAsync(input, context, cancellationToken),
            "CreateLogGroup" => CreateLogGroupAsync(input, context, cancellationToken),
            "DeleteLogGroup" => DeleteLogGroupAsync(input, context, cancellationToken),
            "CreateLogStream" => CreateLogStreamAsync(input, context, cancellationToken),
            "DeleteLogStream" => DeleteLogStreamAsync(input, context, cancellationToken),
            "PutRetentionPolicy" => PutRetentionPolicyAsync(input, context, cancellationToken),
            "DeleteRetentionPolicy" => DeleteRetentionPolicyAsync(input, context, cancellationToken),
            "PutLogEvents" => PutLogEventsAsync(input, context, cancellationToken),
            "TagResource" => TagResourceAsync(input, context, cancellationToken),
            "UntagResource" => UntagResourceAsync(input, context, cancellationToken),
            "ListTagsForResource" => ListTagsForResourceAsync(input, context, cancellationToken),
            "TagLogGroup" => TagLogGroupAsync(input, context, cancellationToken),
            "UntagLogGroup" => UntagLogGroupAsync(input, context, cancellationToken),
            "ListTagsLogGroup" => ListTagsLogGroupAsync(input, context, cancellationToken),
            _ => throw AwsErrors.UnknownOperation("CloudWatch Logs", operation, Operations),
        };

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

    /// <summary>The stream's first and last event times and stored bytes; a build's come from its log.</summary>
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

    /// <summary>CloudWatch Logs answers a failed constraint with InvalidParameterException, in the validator's words.</summary>
    private static void Validate(JsonObject input, StructureShape shape) => InputValidator.Validate(input, shape, AwsErrors.InvalidLogsParameter);

    /// <summary>The group's name from logGroupName or logGroupIdentifier (a name or a log group ARN); exactly one is needed.</summary>
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
