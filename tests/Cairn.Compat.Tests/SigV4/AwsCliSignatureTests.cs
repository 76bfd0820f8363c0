using System.Diagnostics;
using Cairn.Server.Hosting;

namespace Cairn.Compat.Tests.SigV4;

/// <summary>The real aws CLI v2 signs requests that Cairn accepts, and gets AWS's error codes when it should not.</summary>
public sealed class AwsCliSignatureTests : IAsyncLifetime
{
    private const string AccessKeyId = "AKIACOMPATROOT000001";
    private const string SecretAccessKey = "compat-root-secret-0123456789abcdefghij";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "cairn-cli-sigv4-" + Guid.NewGuid().ToString("N"));
    private CairnServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await CairnServer.StartAsync(new CairnServerOptions
        {
            DataDirectory = _dataDirectory,
            Port = 0,
            RootAccessKeyId = AccessKeyId,
            RootSecretAccessKey = SecretAccessKey,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Cli_request_signed_with_the_root_key_gets_past_authentication()
    {
        var (_, stderr) = await RunAwsAsync(SecretAccessKey, "ssm", "get-parameter", "--name", "x");
        // The server answered with an operation-level error (UnknownOperation here, ParameterNotFound once SSM exists).
        Assert.Contains("An error occurred (", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("UnrecognizedClient", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("MissingAuthentication", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_request_signed_with_a_wrong_secret_gets_InvalidSignatureException()
    {
        var (exitCode, stderr) = await RunAwsAsync("not-the-secret", "ssm", "get-parameter", "--name", "x");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("(InvalidSignatureException)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_Query_request_signed_with_a_wrong_secret_gets_SignatureDoesNotMatch()
    {
        var (exitCode, stderr) = await RunAwsAsync("not-the-secret", "sts", "get-caller-identity");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("(SignatureDoesNotMatch)", stderr, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string StandardError)> RunAwsAsync(string secret, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/aws")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(_server.Endpoint.ToString().TrimEnd('/'));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secret;
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stderr);
    }
}
