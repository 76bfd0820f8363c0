using System.Text.RegularExpressions;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.CodeConnections;

/// <summary>
/// The input shapes of the connection and host operations, transcribed from aws-models/codeconnections and
/// aws-models/codestar-connections. The two models differ only in the HostArn pattern (CodeStar's names only its own
/// service; CodeConnections' either), so one set is made per service.
/// </summary>
internal sealed partial class CodeConnectionsShapes
{
    private static readonly StringShape ProviderType = new(Enum: ["Bitbucket", "GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged", "AzureDevOps"]);
    private static readonly StringShape ConnectionArn = new(0, 256, @"arn:aws(-[\w]+)*:.+:.+:[0-9]{12}:.+", Matcher: AnyArn());
    private static readonly StringShape ResourceArn = new(1, 1011, @"arn:aws(-[\w]+)*:.+:.+:[0-9]{12}:.+", Matcher: AnyArn());
    private static readonly NumberShape MaxResults = new(0, 100);
    private static readonly StringShape NextToken = new(1, 1024, "^.*$");

    private static readonly ListShape Tags = new(new StructureShape(
        new MemberShape("Key", new StringShape(1, 128, ".*"), true),
        new MemberShape("Value", new StringShape(0, 256, ".*"), true)), 0, 200);

    private static readonly StructureShape VpcConfiguration = new(
        new MemberShape("VpcId", new StringShape(12, 21, @"vpc-\w{8}(\w{9})?"), true),
        new MemberShape("SubnetIds", new ListShape(new StringShape(15, 24, @"subnet-\w{8}(\w{9})?"), 1, 10), true),
        new MemberShape("SecurityGroupIds", new ListShape(new StringShape(11, 20, @"sg-\w{8}(\w{9})?"), 1, 10), true),
        new MemberShape("TlsCertificate", new StringShape(1, 16384, @"[\s\S]*")));

    public CodeConnectionsShapes(bool codeStar)
    {
        var hostArn = codeStar
            ? new StringShape(0, 256, @"arn:aws(-[\w]+)*:codestar-connections:.+:[0-9]{12}:host\/.+", Matcher: CodeStarHostArn())
            : new StringShape(0, 256, @"arn:aws(-[\w]+)*:(codestar-connections|codeconnections):.+:[0-9]{12}:host\/.+", Matcher: AnyHostArn());
        CreateHost = new(
            new MemberShape("Name", new StringShape(1, 64, ".*"), true),
            new MemberShape("ProviderType", ProviderType, true),
            new MemberShape("ProviderEndpoint", new StringShape(1, 512, ".*"), true),
            new MemberShape("VpcConfiguration", VpcConfiguration),
            new MemberShape("Tags", Tags));
        HostOnly = new(new MemberShape("HostArn", hostArn, true));
        CreateConnection = new(
            new MemberShape("ProviderType", ProviderType),
            new MemberShape("ConnectionName", new StringShape(1, 32, @"[\s\S]*"), true),
            new MemberShape("Tags", Tags),
            new MemberShape("HostArn", hostArn));
        ListConnections = new(
            new MemberShape("ProviderTypeFilter", ProviderType),
            new MemberShape("HostArnFilter", hostArn),
            new MemberShape("MaxResults", MaxResults),
            new MemberShape("NextToken", NextToken));
    }

    public StructureShape CreateHost { get; }

    /// <summary>GetHost's and DeleteHost's input.</summary>
    public StructureShape HostOnly { get; }

    public StructureShape CreateConnection { get; }

    public StructureShape ListConnections { get; }

    public static StructureShape ListHosts { get; } = new(new MemberShape("MaxResults", MaxResults), new MemberShape("NextToken", NextToken));

    /// <summary>GetConnection's and DeleteConnection's input.</summary>
    public static StructureShape ConnectionOnly { get; } = new(new MemberShape("ConnectionArn", ConnectionArn, true));

    public static StructureShape TagResource { get; } = new(new MemberShape("ResourceArn", ResourceArn, true), new MemberShape("Tags", Tags, true));

    public static StructureShape UntagResource { get; } = new(
        new MemberShape("ResourceArn", ResourceArn, true), new MemberShape("TagKeys", new ListShape(new StringShape(1, 128, ".*"), 0, 200), true));

    public static StructureShape ListTagsForResource { get; } = new(new MemberShape("ResourceArn", ResourceArn, true));

    // The model's \w is ASCII (Java); .NET's would take any letter.
    [GeneratedRegex(@"\Aarn:aws(-[A-Za-z0-9_]+)*:.+:.+:[0-9]{12}:.+\z", RegexOptions.CultureInvariant)]
    private static partial Regex AnyArn();

    [GeneratedRegex(@"\Aarn:aws(-[A-Za-z0-9_]+)*:codestar-connections:.+:[0-9]{12}:host/.+\z", RegexOptions.CultureInvariant)]
    private static partial Regex CodeStarHostArn();

    [GeneratedRegex(@"\Aarn:aws(-[A-Za-z0-9_]+)*:(codestar-connections|codeconnections):.+:[0-9]{12}:host/.+\z", RegexOptions.CultureInvariant)]
    private static partial Regex AnyHostArn();
}
