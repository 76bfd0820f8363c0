namespace Cairn.Core.Parameters;

/// <summary>
/// AWS's public parameters that Cairn serves, read-only, to every account under <c>/aws/service/</c>: the global
/// infrastructure tree (regions, the services Cairn serves, each service's regions and endpoints, the caller's
/// <c>current-region</c>) laid out as AWS lays it out, and the build images Cairn offers under
/// <c>/aws/service/codebuild/images/</c> (a Cairn path: AWS publishes none for CodeBuild). Their ARNs carry no account
/// (<c>arn:aws:ssm:&lt;region&gt;::parameter/aws/service/...</c>); they are not stored, so DescribeParameters does not list them.
/// </summary>
public static class PublicParameters
{
    /// <summary>The key prefix (a name without its leading slash).</summary>
    public const string KeyPrefix = "aws/service/";

    /// <summary>When every public parameter was last modified, as their LastModifiedDate says.</summary>
    public static readonly DateTimeOffset LastModified = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string Infrastructure = "aws/service/global-infrastructure/";

    /// <summary>AWS's commercial regions and their long names: every region name is a scope of the same server.</summary>
    public static IReadOnlyDictionary<string, string> Regions { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["af-south-1"] = "Africa (Cape Town)",
        ["ap-east-1"] = "Asia Pacific (Hong Kong)",
        ["ap-northeast-1"] = "Asia Pacific (Tokyo)",
        ["ap-northeast-2"] = "Asia Pacific (Seoul)",
        ["ap-northeast-3"] = "Asia Pacific (Osaka)",
        ["ap-south-1"] = "Asia Pacific (Mumbai)",
        ["ap-southeast-1"] = "Asia Pacific (Singapore)",
        ["ap-southeast-2"] = "Asia Pacific (Sydney)",
        ["ca-central-1"] = "Canada (Central)",
        ["eu-central-1"] = "Europe (Frankfurt)",
        ["eu-north-1"] = "Europe (Stockholm)",
        ["eu-south-1"] = "Europe (Milan)",
        ["eu-west-1"] = "Europe (Ireland)",
        ["eu-west-2"] = "Europe (London)",
        ["eu-west-3"] = "Europe (Paris)",
        ["me-south-1"] = "Middle East (Bahrain)",
        ["sa-east-1"] = "South America (Sao Paulo)",
        ["us-east-1"] = "US East (N. Virginia)",
        ["us-east-2"] = "US East (Ohio)",
        ["us-west-1"] = "US West (N. California)",
        ["us-west-2"] = "US West (Oregon)",
    };

    /// <summary>The services Cairn serves, by AWS's service code, with AWS's long names.</summary>
    public static IReadOnlyDictionary<string, string> Services { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["codebuild"] = "AWS CodeBuild",
        ["codepipeline"] = "AWS CodePipeline",
        ["codestar-connections"] = "AWS CodeStar Connections",
        ["iam"] = "AWS Identity and Access Management (IAM)",
        ["kms"] = "AWS Key Management Service",
        ["logs"] = "Amazon CloudWatch Logs",
        ["secretsmanager"] = "AWS Secrets Manager",
        ["ssm"] = "AWS Systems Manager",
        ["sts"] = "AWS Security Token Service",
    };

    /// <summary>The build images Cairn offers: <c>host</c> (LINUX_EC2: the commands run in a shell on Cairn's host).</summary>
    public static IReadOnlyDictionary<string, string> Images { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["aws/service/codebuild/images/host"] = "host",
        ["aws/service/codebuild/images/host/environment-type"] = "LINUX_EC2",
    };

    private static readonly SortedDictionary<string, string> Fixed = Build();

    /// <summary>True for a key (a name without its leading slash) that is <c>/aws/service</c> or under it.</summary>
    public static bool IsPublic(string key) => key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key == KeyPrefix.TrimEnd('/');

    /// <summary>AWS's ARN for a public parameter: no account.</summary>
    public static string Arn(string region, string key) => $"arn:aws:ssm:{region}::parameter/{key}";

    /// <summary>The parameter named by <paramref name="key"/> as seen from <paramref name="region"/>, or null.</summary>
    public static ParameterSnapshot? Find(string region, string key) =>
        key == Infrastructure + "current-region" ? Snapshot(key, region)
        : Fixed.TryGetValue(key, out var value) ? Snapshot(key, value)
        : null;

    /// <summary>Every public parameter as seen from <paramref name="region"/>, ordered by key.</summary>
    public static IEnumerable<ParameterSnapshot> All(string region) =>
        Fixed.Select(p => Snapshot(p.Key, p.Value))
            .Append(Snapshot(Infrastructure + "current-region", region))
            .OrderBy(p => p.Key, StringComparer.Ordinal);

    private static ParameterSnapshot Snapshot(string key, string value) => new(key, "/" + key, 1, null, new ParameterVersion
    {
        Version = 1,
        Type = ParameterTypes.String,
        Value = value,
        DataType = "text",
        Tier = "Standard",
        LastModifiedDate = LastModified,
        LastModifiedUser = "arn:aws:iam::aws:root",
    });

    private static SortedDictionary<string, string> Build()
    {
        var all = new SortedDictionary<string, string>(Images.ToDictionary(), StringComparer.Ordinal);
        foreach (var (region, longName) in Regions)
        {
            var prefix = $"{Infrastructure}regions/{region}";
            all[prefix] = region;
            all[prefix + "/longName"] = longName;
            all[prefix + "/partition"] = "aws";
            all[prefix + "/domain"] = "amazonaws.com";
            foreach (var service in Services.Keys)
            {
                all[$"{prefix}/services/{service}"] = service;
            }
        }

        foreach (var (service, longName) in Services)
        {
            var prefix = $"{Infrastructure}services/{service}";
            all[prefix] = service;
            all[prefix + "/longName"] = longName;
            foreach (var region in Regions.Keys)
            {
                all[$"{prefix}/regions/{region}"] = region;
                all[$"{prefix}/regions/{region}/endpoint"] = service == "iam" ? "iam.amazonaws.com" : $"{service}.{region}.amazonaws.com";
            }
        }

        return all;
    }
}
