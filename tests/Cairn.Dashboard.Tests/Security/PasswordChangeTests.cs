using System.Net;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Sessions;
using Cairn.Dashboard.Tests.Infrastructure;

namespace Cairn.Dashboard.Tests.Security;

/// <summary>
/// Console sign-in of IAM users made with the aws CLI: a password that must be changed first (PasswordResetRequired),
/// changed through the form as ChangePassword does it against the account's password policy, and the lockout after
/// repeated failures. Its own server: the password policy is the account's.
/// </summary>
public sealed class PasswordChangeTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private const string Strong = "Initial-Passw0rd!";

    private async Task<string> UserWithLoginProfileAsync(string name, bool resetRequired)
    {
        await server.AwsAsync("iam", "create-user", "--user-name", name);
        await server.AwsAsync(["iam", "create-login-profile", "--user-name", name, "--password", Strong,
            resetRequired ? "--password-reset-required" : "--no-password-reset-required"]);
        return name;
    }

    [Fact]
    public async Task A_user_whose_password_must_be_reset_is_sent_to_change_it_before_any_other_page_and_is_then_signed_in()
    {
        var name = await UserWithLoginProfileAsync("reset-alice", resetRequired: true);
        await server.AwsAsync("iam", "update-account-password-policy", "--minimum-password-length", "14", "--require-symbols", "--allow-users-to-change-password");
        using var client = server.Client();

        var signedIn = await client.SignInAsync(DashboardServer.Account, name, Strong);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal(DashboardRoutes.ChangePassword, signedIn.Headers.Location!.OriginalString);
        foreach (var path in new[] { "/projects", "/builds", "/parameters", "/iam/users" })
        {
            var elsewhere = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
            Assert.Equal(DashboardRoutes.ChangePassword, elsewhere.Headers.Location!.OriginalString);
        }

        var (response, page) = await client.PageAsync(DashboardRoutes.ChangePassword);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("must choose a new password", page.QuerySelector(".required")!.TextContent, StringComparison.Ordinal);

        // Without the form's antiforgery token nothing changes.
        var forged = await client.PostAsync(DashboardRoutes.ChangePassword, [new("OldPassword", Strong), new("NewPassword", "Forged-Passw0rd!!"), new("ConfirmPassword", "Forged-Passw0rd!!")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var weak = await client.SubmitAsync(page, DashboardRoutes.ChangePassword, ("OldPassword", Strong), ("NewPassword", "short1"), ("ConfirmPassword", "short1"));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        var weakPage = DashboardServer.Parse(await weak.Content.ReadAsStringAsync());
        Assert.Equal("PasswordPolicyViolation", weakPage.QuerySelector(".problem h2")!.TextContent);
        Assert.Contains("Password should have a minimum length of 14", weakPage.QuerySelector(".problem .message")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Password should have at least one symbol", weakPage.QuerySelector(".problem .message")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(DashboardRoutes.ChangePassword, (await client.GetAsync("/projects")).Headers.Location!.OriginalString);

        var mismatch = await client.SubmitAsync(page, DashboardRoutes.ChangePassword, ("OldPassword", Strong), ("NewPassword", "Changed-Passw0rd!"), ("ConfirmPassword", "Other-Passw0rd!!"));
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);

        var changed = await client.SubmitAsync(page, DashboardRoutes.ChangePassword, ("OldPassword", Strong), ("NewPassword", "Changed-Passw0rd!"), ("ConfirmPassword", "Changed-Passw0rd!"));
        Assert.Equal(HttpStatusCode.SeeOther, changed.StatusCode);
        Assert.Equal(DashboardRoutes.Projects, changed.Headers.Location!.OriginalString);
        Assert.Contains(changed.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SessionCookie.Name + "=", StringComparison.Ordinal));
        // The projects page itself now answers, as the user (who has no policy: AWS's AccessDenied for it, not a redirect).
        var (projects, projectsPage) = await client.PageAsync("/projects");
        Assert.Equal(HttpStatusCode.Forbidden, projects.StatusCode);
        Assert.Contains($"User: arn:aws:iam::{DashboardServer.Account}:user/{name} is not authorized", projectsPage.QuerySelector(".problem .message")!.TextContent, StringComparison.Ordinal);
        Assert.False((bool)(await server.AwsAsync("iam", "get-login-profile", "--user-name", name))!["LoginProfile"]!["PasswordResetRequired"]!);

        using var again = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.SignInAsync(DashboardServer.Account, name, Strong)).StatusCode);
        var withNew = await again.SignInAsync(DashboardServer.Account, name, "Changed-Passw0rd!");
        Assert.Equal(DashboardRoutes.Projects, withNew.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Repeated_failed_sign_ins_of_one_user_lock_it_with_a_message_that_says_for_how_long_even_for_the_right_password()
    {
        var name = await UserWithLoginProfileAsync("locked-bob", resetRequired: false);
        using var client = server.Client();

        for (var attempt = 0; attempt < 5; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync(DashboardServer.Account, name, "wrong-" + attempt)).StatusCode);
        }

        var locked = await client.SignInAsync(DashboardServer.Account, name, Strong);

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.InRange(int.Parse(locked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 15 * 60);
        var page = DashboardServer.Parse(await locked.Content.ReadAsStringAsync());
        Assert.StartsWith("Too many failed sign-ins. Try again in 15 minutes", page.QuerySelector(".problem")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(locked.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(SessionCookie.Name + "=", StringComparison.Ordinal));

        // Another user of the account is not locked.
        var other = await UserWithLoginProfileAsync("free-carol", resetRequired: false);
        Assert.Equal(HttpStatusCode.SeeOther, (await client.SignInAsync(DashboardServer.Account, other, Strong)).StatusCode);
    }
}
