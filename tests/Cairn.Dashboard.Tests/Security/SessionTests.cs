using System.Net;
using Cairn.Core.Identity;
using Cairn.Dashboard.Sessions;
using Cairn.Dashboard.Tests.Infrastructure;
using Cairn.Storage.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Dashboard.Tests.Security;

/// <summary>Sign-in, the session cookie and its store, sign-out, and what a page without a live session does.</summary>
public sealed class SessionTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    [Theory]
    [InlineData("/projects")]
    [InlineData("/builds")]
    [InlineData("/builds/app:0b3c")]
    [InlineData("/")]
    public async Task A_page_without_a_session_redirects_to_sign_in_with_the_way_back(string path)
    {
        using var client = server.Client();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/signin?return={Uri.EscapeDataString(path)}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Root_signs_in_with_its_secret_key_and_gets_an_HttpOnly_SameSite_Strict_cookie_whose_token_is_not_stored()
    {
        using var client = server.Client();

        var response = await client.SignInAsync(DashboardServer.Account, "root", DashboardServer.RootSecret);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/projects", response.Headers.Location!.OriginalString);
        var header = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SessionCookie.Name + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", header, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", header, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", header, StringComparison.OrdinalIgnoreCase);
        var token = header.Split(';')[0][(SessionCookie.Name.Length + 1)..];
        Assert.Equal(43, token.Length); // 256 bits, base64url

        var stored = await server.Server.Services.GetRequiredService<IConsoleSessionStore>().FindAsync(ConsoleSessions.Hash(token), default);
        Assert.NotNull(stored);
        Assert.True(stored.Principal.IsRoot);
        Assert.InRange(stored.ExpiresAt - stored.CreatedAt, TimeSpan.FromHours(12), TimeSpan.FromHours(12));
        foreach (var file in Directory.GetFiles(server.DataDirectory, "cairn.db*"))
        {
            Assert.DoesNotContain(token, await DashboardServer.ReadSharedAsync(file), StringComparison.Ordinal);
        }

        var (page, document) = await client.PageAsync("/projects");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("root (000000000000)", document.QuerySelector(".who")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DashboardServer.Account, "root", "wrong-secret")]
    [InlineData(DashboardServer.Account, "alice", DashboardServer.RootSecret)]
    [InlineData("111111111111", "root", DashboardServer.RootSecret)]
    [InlineData(DashboardServer.Account, "root", "")]
    public async Task A_wrong_account_user_or_password_gets_the_same_message_and_no_session(string account, string user, string password)
    {
        using var client = server.Client();

        var response = await client.SignInAsync(account, user, password);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(SessionCookie.Name + "=", StringComparison.Ordinal));
        var page = DashboardServer.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Your authentication information is incorrect. Please try again.", page.QuerySelector(".problem")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/projects")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_goes_back_to_the_page_asked_for_but_never_to_another_site()
    {
        using var client = server.Client();
        var (_, page) = await client.PageAsync("/signin?return=%2Fbuilds%3Fstatus%3DFAILED");
        var back = await client.SubmitAsync(page, "/signin", ("Account", DashboardServer.Account), ("UserName", "root"), ("Password", DashboardServer.RootSecret));
        Assert.Equal("/builds?status=FAILED", back.Headers.Location!.OriginalString);

        using var other = server.Client();
        var (_, form) = await other.PageAsync("/signin?return=%2F%2Fevil.example%2F");
        var away = await other.SubmitAsync(form, "/signin", ("Account", DashboardServer.Account), ("UserName", "root"), ("Password", DashboardServer.RootSecret));
        Assert.Equal("/projects", away.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_in_the_store_so_the_old_cookie_signs_no_one_in()
    {
        using var client = await server.RootAsync();
        var token = client.Cookies.GetCookies(server.Endpoint)[SessionCookie.Name]!.Value;
        var (_, page) = await client.PageAsync("/projects");

        var response = await client.SubmitAsync(page, "/signout");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location!.OriginalString);
        Assert.Null(await server.Server.Services.GetRequiredService<IConsoleSessionStore>().FindAsync(ConsoleSessions.Hash(token), default));
        using var replay = server.Client();
        replay.Cookies.Add(server.Endpoint, new Cookie(SessionCookie.Name, token));
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/projects")).StatusCode);
    }

    [Fact]
    public async Task A_session_past_its_absolute_expiry_redirects_to_sign_in_and_is_removed()
    {
        using var client = await server.SessionForAsync(Principal.Root(DashboardServer.Account), expiresAt: DateTimeOffset.UtcNow.AddSeconds(-1));
        var token = client.Cookies.GetCookies(server.Endpoint)[SessionCookie.Name]!.Value;

        var response = await client.GetAsync("/projects");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(await server.Server.Services.GetRequiredService<IConsoleSessionStore>().FindAsync(ConsoleSessions.Hash(token), default));
    }

    [Fact]
    public async Task A_session_idle_for_an_hour_redirects_to_sign_in()
    {
        using var client = await server.SessionForAsync(Principal.Root(DashboardServer.Account), lastSeenAt: DateTimeOffset.UtcNow.AddMinutes(-61));

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/projects")).StatusCode);
    }

    [Fact]
    public async Task A_live_session_made_in_the_store_opens_the_pages()
    {
        using var client = await server.SessionForAsync(Principal.Root(DashboardServer.Account), lastSeenAt: DateTimeOffset.UtcNow.AddMinutes(-59));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/projects")).StatusCode);
    }

    [Fact]
    public async Task A_made_up_session_cookie_redirects_to_sign_in()
    {
        using var client = server.Client();
        client.Cookies.Add(server.Endpoint, new Cookie(SessionCookie.Name, new string('A', 43)));

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/projects")).StatusCode);
    }
}
