using System.Text.Json.Nodes;
using Cairn.Server.Hosting;

namespace Cairn.Compat.Tests.Infrastructure;

/// <summary>
/// One in-process Cairn server on a free loopback port for a test class, and the real aws CLI and boto3 pointed at it
/// with the root user's credentials.
/// </summary>
public sealed class CairnFixture : IAsyncLifetime
{
    public const string RootKeyId = "AKIACAIRNCOMPATTEST1";
    public const string RootSecret = "compat/test/secret/key/0123456789abcdefghij";

    private CairnServer? _server;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("cairn-compat-").FullName;

    public CairnServer Server => _server ?? throw new InvalidOperationException("not started");

    public string Endpoint => Server.Endpoint.ToString().TrimEnd('/');

    /// <summary>A PostgreSQL connection string to keep the state in (a test that runs on both stores); SQLite when null.</summary>
    public string? Database { get; init; }

    /// <summary>Services to add after the server's own (a test's CodeBuildOptions, say); none when null.</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; init; }

    public async Task InitializeAsync() =>
        _server = await CairnServer.StartAsync(
            new CairnServerOptions
            {
                DataDirectory = DataDirectory,
                Database = Database,
                Port = 0,
                RootAccessKeyId = RootKeyId,
                RootSecretAccessKey = RootSecret,
            },
            ConfigureServices);

    public IReadOnlyDictionary<string, string> Credentials(string keyId = RootKeyId, string secret = RootSecret, string? sessionToken = null, string region = "us-east-1")
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = keyId,
            ["AWS_SECRET_ACCESS_KEY"] = secret,
            ["AWS_DEFAULT_REGION"] = region,
        };
        if (sessionToken is not null)
        {
            environment["AWS_SESSION_TOKEN"] = sessionToken;
        }

        return environment;
    }

    /// <summary>Makes an IAM user with one inline policy and an access key (as root) and returns its credentials.</summary>
    public async Task<IReadOnlyDictionary<string, string>> UserWithPolicyAsync(string name, string policy)
    {
        (await Aws("iam", "create-user", "--user-name", name)).Ok();
        (await Aws("iam", "put-user-policy", "--user-name", name, "--policy-name", "p", "--policy-document", policy)).Ok();
        var key = (await Aws("iam", "create-access-key", "--user-name", name)).Ok()["AccessKey"]!;
        return Credentials(key["AccessKeyId"]!.GetValue<string>(), key["SecretAccessKey"]!.GetValue<string>());
    }

    /// <summary>Runs `aws --endpoint-url ... --output json &lt;args&gt;` as root (or with the given credentials).</summary>
    public Task<ProcessResult> Aws(params string[] arguments) => AwsAs(Credentials(), arguments);

    public Task<ProcessResult> AwsAs(IReadOnlyDictionary<string, string> credentials, params string[] arguments) =>
        ClientProcess.RunAsync(ClientProcess.AwsCli, ["--endpoint-url", Endpoint, "--output", "json", .. arguments], credentials);

    /// <summary>Runs a boto3 script; `endpoint` is defined for it, and `ssm`, `kms`, `iam`, `sts` clients are ready.</summary>
    public Task<ProcessResult> Boto3(string script, IReadOnlyDictionary<string, string>? credentials = null)
    {
        var prelude = $$"""
            import json, sys, boto3, botocore
            from botocore.config import Config
            endpoint = "{{Endpoint}}"
            cfg = Config(retries={"max_attempts": 1, "mode": "standard"})
            def client(name, region=None):
                return boto3.client(name, endpoint_url=endpoint, config=cfg, region_name=region or "us-east-1")
            ssm, kms, iam, sts = client("ssm"), client("kms"), client("iam"), client("sts")
            def error_code(fn, *a, **k):
                try:
                    fn(*a, **k)
                except botocore.exceptions.ClientError as e:
                    return e.response["Error"]["Code"] + ": " + e.response["Error"].get("Message", "")
                except botocore.exceptions.ParamValidationError as e:
                    return "ParamValidationError: " + str(e)
                return "no error"

            """;
        return ClientProcess.RunAsync(ClientProcess.Python, ["-c", prelude + script], credentials ?? Credentials());
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Runs `cairn logs [--follow] &lt;id&gt;` in-process against this server with <paramref name="credentials"/> (root's by default).</summary>
    public async Task<(int Exit, string Output, string Error)> CairnLogsAsync(string id, bool follow, IReadOnlyDictionary<string, string>? credentials = null)
    {
        credentials ??= Credentials();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Cairn.Cli.Commands.LogsCommand.RunAsync(
            new Cairn.Cli.Commands.LogsCommand.LogsRequest(id, follow, Endpoint, "us-east-1", "/nonexistent"),
            output, error, name => credentials.TryGetValue(name, out var value) ? value : null, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Polls batch-get-builds as root until the build is complete (two minutes at most) and returns it.</summary>
    public async Task<JsonNode> WaitForBuildAsync(string id)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var build = (await Aws("codebuild", "batch-get-builds", "--ids", id)).Ok()["builds"]![0]!;
            if (build["buildComplete"]!.GetValue<bool>())
            {
                return build;
            }

            Assert.False(deadline.IsCancellationRequested, $"build {id} did not complete: {build.ToJsonString()}");
            await Task.Delay(200);
        }
    }
}
