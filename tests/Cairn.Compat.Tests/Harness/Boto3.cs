namespace Cairn.Compat.Tests.Harness;

/// <summary>
/// boto3 (Debian's, under /usr/bin/python3) pointed at a Cairn server. A script gets <c>client(name)</c>, a boto3
/// client for the server with retries off, plus <c>json</c>, <c>base64</c> and <c>ClientError</c>; it prints its
/// result (usually JSON) to stdout.
/// </summary>
public sealed class Boto3(string endpoint, string accessKeyId, string secretAccessKey, string region, string? sessionToken = null)
{
    public const string Python = "/usr/bin/python3";

    private const string Prelude = """
        import base64, json, os, sys
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError

        def client(name, region=None):
            return boto3.client(
                name,
                endpoint_url=os.environ["CAIRN_ENDPOINT"],
                region_name=region or os.environ["AWS_DEFAULT_REGION"],
                config=Config(retries={"max_attempts": 1, "mode": "standard"}),
            )

        def error_code(call):
            try:
                call()
            except ClientError as e:
                return e.response["Error"]["Code"]
            return None

        """;

    public Boto3 InRegion(string otherRegion) => new(endpoint, accessKeyId, secretAccessKey, otherRegion, sessionToken);

    public Boto3 As(string otherAccessKeyId, string otherSecretAccessKey, string? otherSessionToken = null) =>
        new(endpoint, otherAccessKeyId, otherSecretAccessKey, region, otherSessionToken);

    /// <summary>Runs <c>python3 -c &lt;prelude + script&gt;</c>.</summary>
    public Task<ProcessResult> RunAsync(string script) =>
        ProcessRunner.RunAsync(Python, ["-c", Prelude + script], Environment());

    private Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["CAIRN_ENDPOINT"] = endpoint,
            ["AWS_ACCESS_KEY_ID"] = accessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = secretAccessKey,
            ["AWS_DEFAULT_REGION"] = region,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        if (sessionToken is not null)
        {
            environment["AWS_SESSION_TOKEN"] = sessionToken;
        }

        return environment;
    }
}
