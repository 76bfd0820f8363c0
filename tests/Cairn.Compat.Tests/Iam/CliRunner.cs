using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Iam;

/// <summary>The real aws CLI v2 (<see cref="ClientProcess"/>) bound to one Cairn endpoint and one set of credentials.</summary>
internal sealed class CliRunner(Uri endpoint, string accessKeyId, string secretAccessKey, string? sessionToken = null)
{
    public CliRunner As(string keyId, string secret, string? token) => new(endpoint, keyId, secret, token);

    /// <summary>Runs a command and fails the test (with the CLI's stderr) unless it succeeds.</summary>
    public async Task<JsonNode?> RunAsync(params string[] args)
    {
        var outcome = await TryAsync(args);
        Assert.True(outcome.ExitCode == 0, $"aws {string.Join(' ', args)} failed ({outcome.ExitCode}): {outcome.Stderr}");
        return outcome.Stdout.Trim().Length == 0 ? null : outcome.Json;
    }

    public Task<ProcessResult> TryAsync(params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = accessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = secretAccessKey,
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            // The CLI's own default, so errors read exactly as users see them (with 1 it adds "(reached max retries: 0)").
            ["AWS_MAX_ATTEMPTS"] = "3",
        };
        if (sessionToken is not null)
        {
            environment["AWS_SESSION_TOKEN"] = sessionToken;
        }

        return ClientProcess.RunAsync(ClientProcess.AwsCli, [.. args, "--endpoint-url", endpoint.ToString(), "--output", "json"], environment);
    }

    public static string Compact(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";
}
