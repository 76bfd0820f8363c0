using System.Net;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;

namespace Cairn.Dashboard.Tests.Security;

/// <summary>Antiforgery on every form, and the headers every page carries.</summary>
public sealed class FormProtectionTests(DashboardServer server) : IClassFixture<DashboardServer>, IAsyncLifetime
{
    public Task InitializeAsync() => server.SeedProjectAsync("forms-" + Guid.NewGuid().ToString("N")[..6]);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Sign_in_without_an_antiforgery_token_is_refused_with_400()
    {
        using var client = server.Client();
        await client.GetAsync("/signin"); // the antiforgery cookie, but no token in the form

        var response = await client.PostAsync("/signin", [new("Account", DashboardServer.Account), new("UserName", "root"), new("Password", DashboardServer.RootSecret)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = DashboardServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".problem .message")!;
        Assert.StartsWith("This form's antiforgery token is missing or not valid for your session, so nothing was done.", problem.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/projects")).StatusCode);
    }

    [Fact]
    public async Task A_forged_antiforgery_token_is_refused_with_400()
    {
        using var client = server.Client();
        var (_, page) = await client.PageAsync("/signin");
        var token = page.QuerySelector("input[name=__csrf]")!.GetAttribute("value")!;
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");

        var response = await client.PostAsync("/signin",
            [new("__csrf", forged), new("Account", DashboardServer.Account), new("UserName", "root"), new("Password", DashboardServer.RootSecret)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Start_build_with_the_token_of_another_session_is_refused_with_400()
    {
        using var victim = await server.RootAsync();
        using var attacker = await server.RootAsync();
        var (_, attackerPage) = await attacker.PageAsync("/projects");
        var attackerToken = attackerPage.QuerySelector("input[name=__csrf]")!.GetAttribute("value")!;
        var project = (await victim.PageAsync("/projects")).Page.QuerySelector("table.projects a")!.TextContent;

        var response = await victim.PostAsync(DashboardRoutes.StartBuild(project), [new("__csrf", attackerToken), new("SourceVersion", "main")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Sign_out_without_a_token_is_refused_and_the_session_lives_on()
    {
        using var client = await server.RootAsync();

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/signout", [])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/projects")).StatusCode);
    }

    [Theory]
    [InlineData("/signin")]
    [InlineData("/projects")]
    public async Task Pages_carry_a_strict_content_security_policy_and_no_inline_script_or_style(string path)
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(path);

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Empty(page.QuerySelectorAll("script:not([src]), style, [style]"));
        Assert.All(page.QuerySelectorAll("form[method=post]"), form => Assert.NotNull(form.QuerySelector("input[name=__csrf]")));
    }

    [Fact]
    public async Task The_stylesheet_is_served_without_a_session()
    {
        using var client = server.Client();

        var response = await client.GetAsync("/_dashboard/cairn.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(".status-succeeded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
