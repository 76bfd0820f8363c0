using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Compat.Tests.Iam;

/// <summary>Runs the real aws CLI v2 (/usr/bin/aws) against a Cairn endpoint with explicit credentials and no user config.</summary>
internal sealed class CliRunner(Uri endpoint, string accessKeyId, string secretAccessKey, string? sessionToken = null)
{
    public const string Executable = "/usr/bin/aws";

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public JsonNode Json => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException("The aws CLI printed no JSON.");
    }

    public CliRunner As(string keyId, string secret, string? token) => new(endpoint, keyId, secret, token);

    /// <summary>Runs a command and fails the test (with the CLI's stderr) unless it succeeds.</summary>
    public async Task<JsonNode?> RunAsync(params string[] args)
    {
        var outcome = await TryAsync(args);
        Assert.True(outcome.ExitCode == 0, $"aws {string.Join(' ', args)} failed ({outcome.ExitCode}): {outcome.Stderr}");
        return outcome.Stdout.Trim().Length == 0 ? null : outcome.Json;
    }

    public async Task<Outcome> TryAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(endpoint.ToString());
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add("json");
        start.Environment["AWS_ACCESS_KEY_ID"] = accessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secretAccessKey;
        start.Environment.Remove("AWS_SESSION_TOKEN");
        if (sessionToken is not null)
        {
            start.Environment["AWS_SESSION_TOKEN"] = sessionToken;
        }

        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_CONFIG_FILE"] = "/nonexistent/cairn-config";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/cairn-credentials";
        start.Environment["AWS_PAGER"] = string.Empty;
        start.Environment.Remove("AWS_PROFILE");

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the aws CLI.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Outcome(process.ExitCode, await stdout, await stderr);
    }

    public static string Compact(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";
}
