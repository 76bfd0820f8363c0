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
    private static readonly StringShape TagKey = new(1, 128, @"^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$");
    private static readonly MapShape Tags = new(TagKey, new StringShape(0, 256, @"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"));
    private static readonly StringShape ResourceArn = new(1, 1011, @"[\w+=/:,.@-]*");

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

    public static readonly StructureShape CreateLogGroup = new(
        new MemberShape("logGroupName", GroupName, true),
        new MemberShape("kmsKeyId", new StringShape(0, 256)),
        new MemberShape("tags", Tags),
        new MemberShape("logGroupClass", new StringShape(Enum: ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"])),
        new MemberShape("deletionProtectionEnabled", Boolean));

    public static readonly StructureShape GroupOnly = new(new MemberShape("logGroupName", GroupName, true));

    public static readonly StructureShape GroupAndStream = new(
        new MemberShape("logGroupName", GroupName, true),
        new MemberShape("logStreamName", StreamName, true));

    public static readonly StructureShape PutLogEvents = new(
        new MemberShape("logGroupName", GroupName, true),
        new MemberShape("logStreamName", StreamName, true),
        new MemberShape("logEvents", new ListShape(new StructureShape(
            new MemberShape("timestamp", Timestamp, true),
            new MemberShape("message", new StringShape(1), true)), 1, 10000), true),
        new MemberShape("sequenceToken", new StringShape(1)),
        new MemberShape("entity", new StructureShape()));

    public static readonly StructureShape PutRetentionPolicy = new(
        new MemberShape("logGroupName", GroupName, true),
        new MemberShape("retentionInDays", new NumberShape(), true));

    public static readonly StructureShape TagResource = new(
        new MemberShape("resourceArn", ResourceArn, true),
        new MemberShape("tags", Tags, true));

    public static readonly StructureShape UntagResource = new(
        new MemberShape("resourceArn", ResourceArn, true),
        new MemberShape("tagKeys", new ListShape(TagKey, 0, 50), true));

    public static readonly StructureShape ListTagsForResource = new(new MemberShape("resourceArn", ResourceArn, true));

    public static readonly StructureShape TagLogGroup = new(
        new MemberShape("logGroupName", GroupName, true),
        new MemberShape("tags", Tags, true));

    public static readonly StructureShape UntagLogGroup = new(
        new MemberShape("logGroupName", GroupName, true),
        new MemberShape("tags", new ListShape(TagKey, 1), true));
}
