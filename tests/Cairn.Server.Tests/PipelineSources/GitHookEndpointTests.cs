using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Server.Hosting;
using Cairn.Server.Services.CodeBuild;
using Cairn.Server.Services.PipelineSources;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.PipelineSources;

/// <summary>
/// The push hook's answers on a real server: what a post-receive hook's curl gets for each kind of request. That a
/// taken call makes change detection start the pipeline at once is the pipeline end-to-end test's part.
/// </summary>
public sealed class GitHookEndpointTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-git-hook-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private CairnServer _server = null!;
    private CairnServer? _disabled;

    public async Task InitializeAsync() =>
        _server = await StartAsync(new SourcePollingOptions { Interval = TimeSpan.FromHours(1), HookBurst = 3, HookWindow = TimeSpan.FromHours(1) }, "on");

    private async Task<CairnServer> StartAsync(SourcePollingOptions polling, string name) =>
        await CairnServer.StartAsync(
            new CairnServerOptions { DataDirectory = Directory.CreateDirectory(Path.Combine(_directory, name)).FullName, Port = 0 },
            services =>
            {
                services.AddSingleton(polling);
                services.AddSingleton(new CodeBuildOptions { RunsBuilds = false });
            });

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (_disabled is not null)
        {
            await _disabled.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string? json, string query = "", CairnServer? server = null)
    {
        using var request = new HttpRequestMessage(method, new Uri((server ?? _server).Endpoint, "/_cairn/hooks/git" + query));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, (JsonObject)JsonNode.Parse(text)!, response);
    }

    [Fact]
    public async Task A_hook_call_naming_a_repository_is_taken_without_credentials_by_body_or_query()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, """{"repository":"team/app"}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("Change detection will look at the repository now.", body["message"]!.GetValue<string>());

        (status, _, _) = await SendAsync(HttpMethod.Post, null, "?repository=/srv/git/team/app.git");
        Assert.Equal(HttpStatusCode.Accepted, status);
    }

    [Fact]
    public async Task Bad_requests_get_a_4xx_that_says_what_to_send()
    {
        var (status, body, response) = await SendAsync(HttpMethod.Get, null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
        Assert.Contains("takes POST with {\"repository\": \"owner/name\"}", body["error"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body, _) = await SendAsync(HttpMethod.Post, "repository=team/app");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("The body is not JSON", body["error"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body, _) = await SendAsync(HttpMethod.Post, """{"repo":"team/app"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Name the repository that changed", body["error"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, _, _) = await SendAsync(HttpMethod.Post, """{"repository":"team/app\u0000"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);

        (status, body, _) = await SendAsync(HttpMethod.Post, "{\"repository\":\"" + new string('a', 5000) + "\"}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("at most 4096 bytes", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_beyond_the_burst_are_answered_429_with_the_polling_interval_and_bad_ones_do_not_count()
    {
        // Refused requests are answered before the limit is counted.
        await SendAsync(HttpMethod.Post, "not json");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await SendAsync(HttpMethod.Post, """{"repository":"team/burst"}""")).Status);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
        var (_, body, _) = await SendAsync(HttpMethod.Post, """{"repository":"team/burst"}""");
        Assert.Equal("At most 3 hook calls per 3600 s are taken; change detection also polls every 3600 s.", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_change_detection_off_the_hook_says_so_with_503()
    {
        _disabled = await StartAsync(new SourcePollingOptions { Enabled = false }, "off");

        var (status, body, _) = await SendAsync(HttpMethod.Post, """{"repository":"team/app"}""", server: _disabled);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Change detection is turned off on this server.", body["error"]!.GetValue<string>());
    }
}
