using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Core.Audit;
using Cairn.Server.Aws.SigV4;
using Cairn.Server.Hosting;
using Cairn.Server.Services.CodeBuild;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Logs;

/// <summary>The live log endpoint on a real server whose builds stay queued: the test writes the log and ends the build.</summary>
public sealed class BuildLogEndpointTests : IAsyncLifetime, IDisposable
{
    private const string KeyId = "AKIALOGENDPOINTTEST1";
    private const string Secret = "log-endpoint-secret-0123456789abcdefghij";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-log-endpoint-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private CairnServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await CairnServer.StartAsync(
            new CairnServerOptions { DataDirectory = _directory, Port = 0, RootAccessKeyId = KeyId, RootSecretAccessKey = Secret },
            services => services.AddSingleton(new CodeBuildOptions { RunsBuilds = false }));

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<JsonObject> CodeBuildAsync(string operation, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.Endpoint)
        {
            Content = new StringContent(json, Encoding.UTF8),
            Headers = { { "X-Amz-Target", "CodeBuild_20161006." + operation } },
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        new SigV4Signer(KeyId, Secret, "us-east-1", "codebuild").Sign(request, Encoding.UTF8.GetBytes(json), DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return (JsonObject)JsonNode.Parse(body)!;
    }

    [Fact]
    public async Task Following_a_log_streams_each_line_as_it_is_appended_ends_with_the_build_and_is_audited_as_every_api_call()
    {
        await CodeBuildAsync("CreateProject", """
            {"name":"follow","source":{"type":"NO_SOURCE","buildspec":"version: 0.2"},"artifacts":{"type":"NO_ARTIFACTS"},
             "environment":{"type":"LINUX_EC2","image":"host","computeType":"BUILD_GENERAL1_SMALL"},"serviceRole":"arn:aws:iam::000000000000:role/r"}
            """);
        var id = (await CodeBuildAsync("StartBuild", """{"projectName":"follow"}"""))["build"]!["id"]!.GetValue<string>();
        var uuid = id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var logs = _server.Services.GetRequiredService<IBuildLogStore>();
        var writer = logs.OpenWriter(uuid);
        writer.Append("one", DateTimeOffset.UtcNow);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.Endpoint, $"_cairn/builds/{Uri.EscapeDataString(id)}/log?follow=true&from=0"));
        new SigV4Signer(KeyId, Secret, "us-east-1", "logs").Sign(request, [], DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("one", await reader.ReadLineAsync(timeout.Token));
        writer.Append("two", DateTimeOffset.UtcNow);
        Assert.Equal("two", await reader.ReadLineAsync(timeout.Token).AsTask().WaitAsync(TimeSpan.FromMilliseconds(900)));
        await writer.DisposeAsync();
        await _server.Services.GetRequiredService<IBuildStore>().UpdateBuildAsync(uuid, b => b.Complete("SUCCEEDED", DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal(string.Empty, await reader.ReadToEndAsync(timeout.Token));

        var audit = _server.Services.GetRequiredService<IAuditLog>();
        await audit.FlushAsync(CancellationToken.None);
        var entry = Assert.Single(await audit.QueryAsync(new AuditQuery(ActionPrefix: "logs:"), CancellationToken.None));
        Assert.Equal(("cairn:FollowBuildLog", "logs:GetLogEvents", "Allow"), (entry.Operation, entry.Action, entry.Decision));
        Assert.Equal($"arn:aws:logs:us-east-1:000000000000:log-group:/aws/codebuild/follow:log-stream:{uuid}", entry.Resource);
        Assert.Equal(response.Headers.GetValues("x-amzn-RequestId").Single(), entry.RequestId);
    }
}
