using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.CodeBuild;

/// <summary>The report operations' input shapes (aws-models/codebuild).</summary>
internal static partial class CodeBuildShapes
{
    // Fields of this file only: static initializers of a partial class run in no defined order across its files.
    private static readonly StringShape ReportText = new();
    private static readonly StringShape ReportNonEmpty = new(1);
    private static readonly BooleanShape ReportBoolean = new();
    private static readonly StringShape ReportSortOrder = new(Enum: ["ASCENDING", "DESCENDING"]);
    private static readonly ListShape ReportTags = new(new StructureShape(
        new MemberShape("key", new StringShape(1, 127, @"^([\p{L}\p{Z}\p{N}_.:/=@+\-]*)$")),
        new MemberShape("value", new StringShape(0, 255, @"^([\p{L}\p{Z}\p{N}_.:/=@+\-]*)$"))), 0, 50);
    private static readonly NumberShape ReportPageSize = new(1, 100);
    private static readonly ListShape ReportArnList = new(ReportNonEmpty, 1, 100);
    private static readonly StringShape ReportType = new(Enum: ["TEST", "CODE_COVERAGE"]);
    private static readonly StructureShape ReportFilter = new(
        new MemberShape("status", new StringShape(Enum: ["GENERATING", "SUCCEEDED", "FAILED", "INCOMPLETE", "DELETING"])));

    private static readonly StructureShape ReportExportConfig = new(
        new MemberShape("exportConfigType", new StringShape(Enum: ["S3", "NO_EXPORT"])),
        new MemberShape("s3Destination", new StructureShape(
            new MemberShape("bucket", ReportNonEmpty),
            new MemberShape("bucketOwner", ReportText),
            new MemberShape("path", ReportText),
            new MemberShape("packaging", new StringShape(Enum: ["ZIP", "NONE"])),
            new MemberShape("encryptionKey", ReportNonEmpty),
            new MemberShape("encryptionDisabled", ReportBoolean))));

    public static readonly StructureShape CreateReportGroup = new(
        new MemberShape("name", new StringShape(2, 128), true),
        new MemberShape("type", ReportType, true),
        new MemberShape("exportConfig", ReportExportConfig, true),
        new MemberShape("tags", ReportTags));

    public static readonly StructureShape UpdateReportGroup = new(
        new MemberShape("arn", ReportNonEmpty, true),
        new MemberShape("exportConfig", ReportExportConfig),
        new MemberShape("tags", ReportTags));

    public static readonly StructureShape DeleteReportGroup = new(
        new MemberShape("arn", ReportNonEmpty, true),
        new MemberShape("deleteReports", ReportBoolean));

    public static readonly StructureShape BatchGetReportGroups = new(new MemberShape("reportGroupArns", ReportArnList, true));

    public static readonly StructureShape ListReportGroups = new(
        new MemberShape("sortOrder", ReportSortOrder),
        new MemberShape("sortBy", new StringShape(Enum: ["NAME", "CREATED_TIME", "LAST_MODIFIED_TIME"])),
        new MemberShape("nextToken", ReportText),
        new MemberShape("maxResults", ReportPageSize));

    public static readonly StructureShape ListReports = new(
        new MemberShape("sortOrder", ReportSortOrder),
        new MemberShape("nextToken", ReportText),
        new MemberShape("maxResults", ReportPageSize),
        new MemberShape("filter", ReportFilter));

    public static readonly StructureShape ListReportsForReportGroup = new(
        new MemberShape("reportGroupArn", ReportText, true),
        new MemberShape("nextToken", ReportText),
        new MemberShape("sortOrder", ReportSortOrder),
        new MemberShape("maxResults", ReportPageSize),
        new MemberShape("filter", ReportFilter));

    public static readonly StructureShape BatchGetReports = new(new MemberShape("reportArns", ReportArnList, true));

    public static readonly StructureShape DescribeTestCases = new(
        new MemberShape("reportArn", ReportText, true),
        new MemberShape("nextToken", ReportText),
        new MemberShape("maxResults", ReportPageSize),
        new MemberShape("filter", new StructureShape(
            new MemberShape("status", ReportText),
            new MemberShape("keyword", ReportText))));

    public static readonly StructureShape DeleteReport = new(new MemberShape("arn", ReportNonEmpty, true));

    public static readonly StructureShape GetReportGroupTrend = new(
        new MemberShape("reportGroupArn", ReportNonEmpty, true),
        new MemberShape("numOfReports", ReportPageSize),
        new MemberShape("trendField", new StringShape(Enum:
            ["PASS_RATE", "DURATION", "TOTAL", "LINE_COVERAGE", "LINES_COVERED", "LINES_MISSED", "BRANCH_COVERAGE", "BRANCHES_COVERED", "BRANCHES_MISSED"]), true));
}
