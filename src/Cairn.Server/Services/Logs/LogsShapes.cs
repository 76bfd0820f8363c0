using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Logs;

/// <summary>The CloudWatch Logs operations' input shapes Cairn serves, transcribed from the service model (aws-models/logs).</summary>
internal static class LogsShapes
{
    private static readonly StringShape GroupName = new(1, 512, @"[\.\-_/#A-Za-z0-9]+");
    private static readonly StringShape GroupIdentifier = new(1, 2048, @"[\w#+=/:,.@-]*");
    private static readonly StringShape StreamName = new(1, 512, "[^:*]*");
    private static readonly NumberShape Timestamp = new(0, IsLong: true);
    private static readonly StringShape NextToken = new(1);
    private static readonly NumberShape EventsLimit = new(1, 10000);
    private static readonly NumberShape DescribeLimit = new(1, 50);
    private static readonly BooleanShape Boolean = new();

    public static readonly StructureShape GetLogEvents = new(
        new MemberShape("logGroupName", GroupName),
        new MemberShape("logGroupIdentifier", GroupIdentifier),
        new MemberShape("logStreamName", StreamName, true),
        new MemberShape("startTime", Timestamp),
        new MemberShape("endTime", Timestamp),
        new MemberShape("nextToken", NextToken),
        new MemberShape("limit", EventsLimit),
        new MemberShape("startFromHead", Boolean),
        new MemberShape("unmask", Boolean));

    public static readonly StructureShape FilterLogEvents = new(
        new MemberShape("logGroupName", GroupName),
        new MemberShape("logGroupIdentifier", GroupIdentifier),
        new MemberShape("logStreamNames", new ListShape(StreamName, 1, 100)),
        new MemberShape("logStreamNamePrefix", StreamName),
        new MemberShape("startTime", Timestamp),
        new MemberShape("endTime", Timestamp),
        new MemberShape("filterPattern", new StringShape(0, 1024)),
        new MemberShape("nextToken", NextToken),
        new MemberShape("limit", EventsLimit),
        new MemberShape("interleaved", Boolean),
        new MemberShape("unmask", Boolean));

    public static readonly StructureShape DescribeLogStreams = new(
        new MemberShape("logGroupName", GroupName),
        new MemberShape("logGroupIdentifier", GroupIdentifier),
        new MemberShape("logStreamNamePrefix", StreamName),
        new MemberShape("orderBy", new StringShape(Enum: ["LogStreamName", "LastEventTime"])),
        new MemberShape("descending", Boolean),
        new MemberShape("nextToken", NextToken),
        new MemberShape("limit", DescribeLimit));

    public static readonly StructureShape DescribeLogGroups = new(
        new MemberShape("logGroupNamePrefix", GroupName),
        new MemberShape("logGroupNamePattern", new StringShape(0, 512, @"[\.\-_/#A-Za-z0-9]*")),
        new MemberShape("nextToken", NextToken),
        new MemberShape("limit", DescribeLimit));
}
