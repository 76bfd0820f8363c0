using System.Xml.Linq;

namespace Cairn.Cli.Builds;

/// <summary>STS over the Query protocol: who am I, and the temporary credentials of a role session.</summary>
internal static class StsClient
{
    private const string Version = "2011-06-15";

    /// <summary>GetCallerIdentity: the caller's account and ARN.</summary>
    public static async Task<(string Account, string Arn)> GetCallerIdentityAsync(AwsApiClient client, CancellationToken cancellationToken)
    {
        var root = await client.QueryAsync("sts", [new("Action", "GetCallerIdentity"), new("Version", Version)], cancellationToken);
        return (Field(root, "Account") ?? "", Field(root, "Arn") ?? "");
    }

    /// <summary>AssumeRole: temporary credentials whose principal is arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.</summary>
    public static async Task<AwsCredentials> AssumeRoleAsync(AwsApiClient client, string roleArn, string sessionName, CancellationToken cancellationToken)
    {
        var root = await client.QueryAsync("sts",
            [new("Action", "AssumeRole"), new("Version", Version), new("RoleArn", roleArn), new("RoleSessionName", sessionName)],
            cancellationToken);
        var id = Field(root, "AccessKeyId");
        var secret = Field(root, "SecretAccessKey");
        var token = Field(root, "SessionToken");
        if (id is null || secret is null || token is null)
        {
            throw new AwsApiException("MalformedResponse", "AssumeRole returned no credentials", 200);
        }

        var arn = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "AssumedRoleUser")?
            .Elements().FirstOrDefault(e => e.Name.LocalName == "Arn")?.Value;
        return new AwsCredentials(id, secret, token, arn);
    }

    /// <summary>
    /// A role session for a build, made by the server as CodeBuild makes one (Cairn's POST /_cairn/build-role): the caller
    /// needs iam:PassRole on the role and the role's trust policy must name codebuild.amazonaws.com.
    /// </summary>
    public static async Task<AwsCredentials> AssumeRoleForBuildAsync(AwsApiClient client, string roleArn, string sessionName, TimeSpan duration, CancellationToken cancellationToken)
    {
        var root = await client.QueryAsync("sts",
            [new("RoleArn", roleArn), new("RoleSessionName", sessionName), new("DurationSeconds", ((long)duration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture))],
            cancellationToken, "/_cairn/build-role");
        var id = Field(root, "AccessKeyId");
        var secret = Field(root, "SecretAccessKey");
        var token = Field(root, "SessionToken");
        if (id is null || secret is null || token is null)
        {
            throw new AwsApiException("MalformedResponse", "/_cairn/build-role returned no credentials", 200);
        }

        var arn = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "AssumedRoleUser")?
            .Elements().FirstOrDefault(e => e.Name.LocalName == "Arn")?.Value;
        return new AwsCredentials(id, secret, token, arn);
    }

    private static string? Field(XElement root, string name) =>
        root.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
