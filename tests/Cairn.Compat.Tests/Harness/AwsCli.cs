namespace Cairn.Compat.Tests.Harness;

/// <summary>
/// The real aws CLI v2 (/usr/bin/aws, not the v1 shim on PATH) pointed at a Cairn server: credentials and region from
/// the environment, no config or credentials files, no instance metadata, JSON output, no retries.
/// </summary>
public sealed class AwsCli(string endpoint, string accessKeyId, string secretAccessKey, string region, string? sessionToken = null)
{
    public const string Path = "/usr/bin/aws";

    public string Region => region;

    public AwsCli InRegion(string otherRegion) => new(endpoint, accessKeyId, secretAccessKey, otherRegion, sessionToken);

    /// <summary>The same CLI acting as another identity (an IAM user's key, or STS temporary credentials).</summary>
    public AwsCli As(string otherAccessKeyId, string otherSecretAccessKey, string? otherSessionToken = null) =>
        new(endpoint, otherAccessKeyId, otherSecretAccessKey, region, otherSessionToken);

    /// <summary>Runs <c>aws &lt;args&gt; --endpoint-url ... --output json</c>.</summary>
    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Path, [.. arguments, "--endpoint-url", endpoint, "--output", "json"], Environment());

    public IReadOnlyDictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = accessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = secretAccessKey,
            ["AWS_DEFAULT_REGION"] = region,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_PAGER"] = string.Empty,
            ["AWS_MAX_ATTEMPTS"] = "1",
            ["AWS_RETRY_MODE"] = "standard",
        };
        if (sessionToken is not null)
        {
            environment["AWS_SESSION_TOKEN"] = sessionToken;
        }

        return environment;
    }
}
