using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Cairn.EndToEnd.Tests.Infrastructure;

/// <summary>The real aws CLI v2 (/usr/bin/aws) pointed at a Cairn endpoint with given credentials, and nothing of the user's configuration.</summary>
public sealed class AwsCli(string endpoint, string accessKeyId, string secretAccessKey, string region = "us-east-1")
{
    public const string Program = "/usr/bin/aws";

    public async Task<CliResult> RunAsync(params string[] arguments)
    {
        Assert.True(File.Exists(Program), "The end-to-end tests drive the aws CLI v2 at /usr/bin/aws: run scripts/install-test-deps.sh.");
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--endpoint-url", endpoint, "--output", "json", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("AWS_PROFILE");
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = string.Empty;
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_ACCESS_KEY_ID"] = accessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secretAccessKey;
        start.Environment["AWS_DEFAULT_REGION"] = region;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the aws CLI");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and asserts success; returns the JSON output (an empty object when there is none).</summary>
    public async Task<JsonNode> OkAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)} exited {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout.Trim().Length == 0 ? new JsonObject() : JsonNode.Parse(result.Stdout)!;
    }
}
