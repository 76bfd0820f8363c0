using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Application.Logs;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Logs;

/// <summary>
/// CloudWatch Logs (Logs_20140328) on the wire: an adapter over <see cref="LogService"/> (shape checks, JSON in and out,
/// page tokens). Operations by family: <c>.Reads</c>, <c>.Groups</c> (groups, streams, retention), <c>.Events</c>, <c>.Tags</c>.
/// </summary>
internal sealed partial class LogsService(LogService logs) : IJsonService
{
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

    private static LogEventCursor ParseEventToken(string token) =>
        token.Length > 2 && token[0] is 'f' or 'b' && token[1] == '/' && long.TryParse(token.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? new LogEventCursor(token[0] == 'b', position)
            : throw AwsErrors.InvalidLogsParameter("The specified nextToken is invalid.");

    private static string FilterToken(int stream, long eventIndex) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"cairn-filter:{stream}:{eventIndex}")));

    private static LogFilterCursor ParseFilterToken(string? token)
    {
        if (token is null)
        {
            return default;
        }

        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(token)).Split(':');
            if (parts.Length == 3 && parts[0] == "cairn-filter"
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var stream)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var eventIndex))
            {
                return new LogFilterCursor(stream, eventIndex);
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

    private static int ParseOffsetToken(string? token)
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
