using System.Net;
using System.Net.Http.Headers;
using Cairn.Dashboard.Tests.Infrastructure;

namespace Cairn.Dashboard.Tests.Security;

/// <summary>One port: AWS calls still reach the API (signed or not), browsers reach the dashboard.</summary>
public sealed class RoutingTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    [Fact]
    public async Task The_aws_CLI_still_works_on_the_same_port()
    {
        var identity = await server.AwsAsync("sts", "get-caller-identity");
        Assert.Equal($"arn:aws:iam::{DashboardServer.Account}:root", identity!["Arn"]!.GetValue<string>());

        var projects = await server.AwsAsync("codebuild", "list-projects");
        Assert.NotNull(projects!["projects"]);
    }

    [Fact]
    public async Task An_unsigned_JSON_call_still_gets_AWS_error_not_a_page()
    {
        using var http = new HttpClient { BaseAddress = server.Endpoint };
        using var content = new StringContent("{}", new MediaTypeHeaderValue("application/x-amz-json-1.1"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.Add("X-Amz-Target", "AmazonSSM.GetParameter");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("MissingAuthenticationTokenException", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsigned_Query_call_posted_to_the_root_still_gets_AWS_error()
    {
        using var http = new HttpClient { BaseAddress = server.Endpoint };

        using var form = new FormUrlEncodedContent([new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]);
        var response = await http.PostAsync("/", form);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("MissingAuthenticationToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_liveness_check_answers_without_a_session()
    {
        using var http = new HttpClient { BaseAddress = server.Endpoint };

        Assert.Equal("ok", await http.GetStringAsync("/_cairn/ping"));
    }

    [Fact]
    public async Task A_browser_asking_for_a_page_that_does_not_exist_gets_the_dashboards_404()
    {
        using var client = server.Client();

        var (response, page) = await client.PageAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Not found", page.QuerySelector("h1")!.TextContent);
    }
}
