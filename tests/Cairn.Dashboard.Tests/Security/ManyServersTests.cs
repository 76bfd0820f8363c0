using System.Net;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;
using Cairn.Server.Hosting;
using Cairn.Storage.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Dashboard.Tests.Security;

/// <summary>
/// Two servers on one data directory, as behind a load balancer: the session cookie and a form's antiforgery token
/// that one server issued are accepted by the other, because the Data Protection key ring is in the shared database
/// (encrypted under the master key, never as plain XML).
/// </summary>
public sealed class ManyServersTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-dashboard-many-").FullName;
    private CairnServer? _first;
    private CairnServer? _second;

    private Task<CairnServer> StartAsync() => CairnServer.StartAsync(new CairnServerOptions
    {
        DataDirectory = _directory,
        Port = 0,
        RootAccessKeyId = DashboardServer.RootKeyId,
        RootSecretAccessKey = DashboardServer.RootSecret,
    });

    public async Task InitializeAsync()
    {
        _first = await StartAsync();
        _second = await StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { _second, _first })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_session_cookie_and_a_form_token_from_one_server_are_accepted_by_another_on_the_same_database()
    {
        using var first = new Browserless(_first!.Endpoint);
        var signedIn = await first.SignInAsync(DashboardServer.Account, "root", DashboardServer.RootSecret);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var (_, pageFromFirst) = await first.PageAsync(DashboardRoutes.Projects);

        using var second = new Browserless(_second!.Endpoint);
        second.Cookies.Add(_second.Endpoint, first.Cookies.GetCookies(_first.Endpoint));
        var (page, _) = await second.PageAsync(DashboardRoutes.Projects);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // The sign-out form rendered by the first server, posted to the second: its token is valid there.
        var signedOut = await second.SubmitAsync(pageFromFirst, DashboardRoutes.SignOut);
        Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
        Assert.Equal(DashboardRoutes.SignIn, signedOut.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await first.GetAsync(DashboardRoutes.Projects)).StatusCode); // ended on both

        var keys = await _first.Services.GetRequiredService<IDataProtectionKeyStore>().ListAsync(default);
        Assert.NotEmpty(keys);
        foreach (var file in Directory.GetFiles(_directory, "cairn.db*"))
        {
            var bytes = await DashboardServer.ReadSharedAsync(file);
            Assert.DoesNotContain("<descriptor", bytes, StringComparison.Ordinal);
            Assert.DoesNotContain("masterKey", bytes, StringComparison.Ordinal);
        }
    }
}
