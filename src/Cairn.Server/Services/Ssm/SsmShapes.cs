using Cairn.Core.Parameters;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Ssm;

/// <summary>The Parameter Store operations' input shapes, transcribed from the service model (aws-models/ssm).</summary>
internal static class SsmShapes
{
    private static readonly StringShape ParameterName = new(1, 2048);
    private static readonly StringShape TagKey = new(1, 128, @"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$");
    private static readonly StringShape TagValue = new(0, 256, @"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$");
    private static readonly ListShape TagList = new(new StructureShape(new MemberShape("Key", TagKey, true), new MemberShape("Value", TagValue, true)), Max: 1000);
    private static readonly ListShape NameList = new(ParameterName, 1, 10);
    private static readonly ListShape LabelList = new(new StringShape(1, 100), 1, 10);
    private static readonly BooleanShape Boolean = new();
    private static readonly StringShape NextToken = new();
    private static readonly NumberShape Version = new(IsLong: true);

    private static readonly ListShape ParameterStringFilters = new(new StructureShape(
        new MemberShape("Key", new StringShape(1, 132, "tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType"), true),
        new MemberShape("Option", new StringShape(1, 10)),
        new MemberShape("Values", new ListShape(new StringShape(1, 1024), 1, 50))));

    /// <summary>The model's ResourceTypeForTagging values; a value outside them is InvalidResourceType, not a ValidationException.</summary>
    public static readonly string[] TaggableResourceTypes =
        ["Document", "ManagedInstance", "MaintenanceWindow", "Parameter", "PatchBaseline", "OpsItem", "OpsMetadata", "Automation", "Association", "CloudConnector"];

    // No Enum here: SSM answers an unknown ResourceType with InvalidResourceType (SsmService.TaggedParameter checks it).
    private static readonly StringShape ResourceType = new();

    public static readonly StructureShape PutParameter = new(
        new MemberShape("Name", ParameterName, true),
        new MemberShape("Description", new StringShape(0, 1024)),
        new MemberShape("Value", new StringShape(Sensitive: true), true),
        new MemberShape("Type", new StringShape(Enum: ParameterTypes.EnumOrder)),
        new MemberShape("KeyId", new StringShape(1, 256, "^([a-zA-Z0-9:/_-]+)$")),
        new MemberShape("Overwrite", Boolean),
        new MemberShape("AllowedPattern", new StringShape(0, 1024)),
        new MemberShape("Tags", TagList),
        new MemberShape("Tier", new StringShape(Enum: ParameterTiers.EnumOrder)),
        new MemberShape("Policies", new StringShape(1, 4096)),
        new MemberShape("DataType", new StringShape(0, 128)));

    public static readonly StructureShape GetParameter = new(
        new MemberShape("Name", ParameterName, true),
        new MemberShape("WithDecryption", Boolean));

    public static readonly StructureShape GetParameters = new(
        new MemberShape("Names", NameList, true),
        new MemberShape("WithDecryption", Boolean));

    public static readonly StructureShape GetParametersByPath = new(
        new MemberShape("Path", ParameterName, true),
        new MemberShape("Recursive", Boolean),
        new MemberShape("ParameterFilters", ParameterStringFilters),
        new MemberShape("WithDecryption", Boolean),
        new MemberShape("MaxResults", new NumberShape(1, 10)),
        new MemberShape("NextToken", NextToken));

    public static readonly StructureShape DeleteParameter = new(new MemberShape("Name", ParameterName, true));

    public static readonly StructureShape DeleteParameters = new(new MemberShape("Names", NameList, true));

    public static readonly StructureShape DescribeParameters = new(
        new MemberShape("Filters", new ListShape(new StructureShape(
            new MemberShape("Key", new StringShape(Enum: ["Name", "Type", "KeyId"]), true),
            new MemberShape("Values", new ListShape(new StringShape(1, 1024), 1, 50), true)))),
        new MemberShape("ParameterFilters", ParameterStringFilters),
        new MemberShape("MaxResults", new NumberShape(1, 50)),
        new MemberShape("NextToken", NextToken),
        new MemberShape("Shared", Boolean));

    public static readonly StructureShape GetParameterHistory = new(
        new MemberShape("Name", ParameterName, true),
        new MemberShape("WithDecryption", Boolean),
        new MemberShape("MaxResults", new NumberShape(1, 50)),
        new MemberShape("NextToken", NextToken));

    public static readonly StructureShape LabelParameterVersion = new(
        new MemberShape("Name", ParameterName, true),
        new MemberShape("ParameterVersion", Version),
        new MemberShape("Labels", LabelList, true));

    public static readonly StructureShape UnlabelParameterVersion = new(
        new MemberShape("Name", ParameterName, true),
        new MemberShape("ParameterVersion", Version, true),
        new MemberShape("Labels", LabelList, true));

    public static readonly StructureShape AddTagsToResource = new(
        new MemberShape("ResourceType", ResourceType, true),
        new MemberShape("ResourceId", new StringShape(), true),
        new MemberShape("Tags", TagList, true));

    public static readonly StructureShape RemoveTagsFromResource = new(
        new MemberShape("ResourceType", ResourceType, true),
        new MemberShape("ResourceId", new StringShape(), true),
        new MemberShape("TagKeys", new ListShape(TagKey), true));

    public static readonly StructureShape ListTagsForResource = new(
        new MemberShape("ResourceType", ResourceType, true),
        new MemberShape("ResourceId", new StringShape(), true));
}
