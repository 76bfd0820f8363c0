using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Cli.Commands;

/// <summary>
/// `cairn logs [--follow] &lt;build-id&gt;`: prints a build's log from a running server; with --follow, prints lines as the
/// build writes them and exits with the build's outcome (0 when it SUCCEEDED). Requests are SigV4-signed with the
/// credentials in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), else the server's
/// &lt;data&gt;/credentials, and need logs:GetLogEvents on the build's log stream.
/// </summary>
internal static class LogsCommand
{
    private const int MaxReconnects = 5;

    public static Command Create()
    {
        var buildId = new Argument<string>("build-id") { Description = "The build's id, <project>:<uuid>, as StartBuild returned it." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing lines as the build writes them, until it ends; exit 1 unless it SUCCEEDED." };
        var endpoint = new Option<string?>("--endpoint-url", "--endpoint") { Description = "The server's URL (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566); --endpoint is the same." };
        var region = new Option<string?>("--region") { Description = "The build's region (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1)." };
        var data = new Option<string>("--data") { Description = "Data directory whose credentials file to use when no AWS credentials are set.", DefaultValueFactory = _ => ".cairn" };
        var profile = new Option<string?>("--profile") { Description = "A profile of the shared credentials file (default: AWS_PROFILE), as the aws CLI reads it." };
        var command = new Command("logs",
            "Print a build's log from a running Cairn server (the same lines as aws logs get-log-events). "
            + "Exit status: 0 (with --follow: the build SUCCEEDED), 1 the build did not succeed, 2 no credentials, unreachable or denied, 3 no such build.")
        {
            buildId, follow, endpoint, region, data, profile,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            new LogsRequest(
                result.GetValue(buildId)!,
                result.GetValue(follow),
                result.GetValue(endpoint) ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") ?? "http://127.0.0.1:4566",
                result.GetValue(region) ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1",
                result.GetValue(data)!)
            {
                Profile = result.GetValue(profile),
            },
            Console.Out,
            Console.Error,
            Environment.GetEnvironmentVariable,
            cancellationToken));
        return command;
    }

    /// <summary>What `cairn logs` was asked for.</summary>
    internal sealed record LogsRequest(string BuildId, bool Follow, string Endpoint, string Region, string DataDirectory)
    {
        /// <summary>--profile: a profile of the shared credentials file.</summary>
        public string? Profile { get; init; }
    }

    /// <summary>Prints the log to <paramref name="output"/>; returns the exit status.</summary>
    internal static async Task<int> RunAsync(
        LogsRequest request, TextWriter output, TextWriter error, Func<string, string?> getVariable, CancellationToken cancellationToken)
    {
        var credentials = FindCredentials(request.DataDirectory, request.Profile, getVariable);
        if (credentials is null)
        {
            await error.WriteLineAsync(
                "cairn logs: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE (--profile) as for the aws CLI, "
                + $"or point --data at the server's data directory (no {Path.Combine(request.DataDirectory, "credentials")}).");
            return 2;
        }

        var baseUri = new Uri(request.Endpoint.TrimEnd('/') + "/");
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        long written = 0;
        for (var attempt = 0; ; attempt++)
        {
            var uri = new Uri(baseUri, $"_cairn/builds/{Uri.EscapeDataString(request.BuildId)}/log?follow={(request.Follow ? "true" : "false")}&from={written}");
#pragma warning disable CA2000 // disposed by its using declaration; the analyzer loses it across the catch that continues the loop
            using var message = new HttpRequestMessage(HttpMethod.Get, uri);
#pragma warning restore CA2000
            new SigV4Signer(credentials.Value.KeyId, credentials.Value.Secret, request.Region, "logs", credentials.Value.Token)
                .Sign(message, [], DateTimeOffset.UtcNow);
            try
            {
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    await error.WriteAsync($"cairn logs: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    return response.StatusCode == HttpStatusCode.NotFound ? 3 : 2;
                }

                written += await CopyLinesAsync(await response.Content.ReadAsStreamAsync(cancellationToken), output, cancellationToken);
            }
            catch (HttpRequestException failure) when (attempt == 0 || attempt >= MaxReconnects)
            {
                await error.WriteLineAsync($"cairn logs: cannot reach the Cairn server at {request.Endpoint}: {failure.Message}");
                return 2;
            }
            catch (Exception failure) when (failure is HttpRequestException or IOException)
            {
                // The connection dropped mid-build (a restart); continue from the last line printed.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }

            if (!request.Follow)
            {
                return 0;
            }

            var status = await BuildStatusAsync(http, baseUri, credentials.Value, request, cancellationToken);
            if (status is "IN_PROGRESS" && attempt < MaxReconnects)
            {
                continue;
            }

            await error.WriteLineAsync($"Build {request.BuildId}: {status ?? "status unknown"}");
            return status == "SUCCEEDED" ? 0 : 1;
        }
    }

    /// <summary>Copies the response to the output as it arrives; returns the number of complete lines copied.</summary>
    private static async Task<long> CopyLinesAsync(Stream body, TextWriter output, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var buffer = new char[8192];
        long lines = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            await output.FlushAsync(cancellationToken);
            lines += buffer.AsSpan(0, read).Count('\n');
        }

        return lines;
    }

    private static async Task<string?> BuildStatusAsync(
        HttpClient http, Uri baseUri, (string KeyId, string Secret, string? Token) credentials, LogsRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, baseUri)
        {
            Content = new StringContent(new JsonObject { ["ids"] = new JsonArray(request.BuildId) }.ToJsonString(), Encoding.UTF8),
        };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "CodeBuild_20161006.BatchGetBuilds");
        await new SigV4Signer(credentials.KeyId, credentials.Secret, request.Region, "codebuild", credentials.Token)
            .SignAsync(message, DateTimeOffset.UtcNow, cancellationToken);
        using var response = await http.SendAsync(message, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body?["builds"]?[0]?["buildStatus"]?.GetValue<string>();
    }

    /// <summary>
    /// Credentials as the aws CLI finds them (--profile or AWS_PROFILE in the shared credentials file, else the
    /// environment's keys), else the [cairn] profile of &lt;data&gt;/credentials written by `cairn serve`, else the shared
    /// file's default profile. The data directory comes before the default profile: a default profile usually holds keys
    /// for AWS itself, which Cairn would refuse.
    /// </summary>
    internal static (string KeyId, string Secret, string? Token)? FindCredentials(string dataDirectory, string? profile, Func<string, string?> getVariable)
    {
        var named = profile is not null || !string.IsNullOrWhiteSpace(getVariable("AWS_PROFILE")) || !string.IsNullOrWhiteSpace(getVariable("AWS_ACCESS_KEY_ID"));
        var file = Path.Combine(dataDirectory, "credentials");
        var found = named ? Builds.AwsCredentials.Find(profile, getVariable) : null;
        found ??= File.Exists(file) ? Builds.AwsCredentials.FromProfile(File.ReadAllLines(file), "cairn") : null;
        found ??= Builds.AwsCredentials.Find(profile, getVariable);
        return found is null ? null : (found.AccessKeyId, found.SecretAccessKey, found.SessionToken);
    }
}
