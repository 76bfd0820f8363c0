using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Application.Builds;
using Cairn.Core.Errors;
using Cairn.Dashboard.Components.Pages;
using Cairn.Dashboard.Components.Shared;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Sessions;
using Cairn.Dashboard.SignIn;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Dashboard.Forms;

/// <summary>
/// The dashboard's POST handlers, each a form from a page: post, act as the signed-in principal, redirect (303) to the
/// page that shows the result. Binding from a form makes ASP.NET check the antiforgery token first (400 without one).
/// </summary>
internal static partial class DashboardForms
{
    /// <summary>The same for every wrong part (account, user, password), as AWS's console says it.</summary>
    public const string SignInFailed = "Your authentication information is incorrect. Please try again.";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost(DashboardRoutes.SignIn, SignInAsync).WithMetadata(DashboardEndpoint.Anyone);
        routes.MapPost(DashboardRoutes.SignOut, SignOutAsync).WithMetadata(DashboardEndpoint.PasswordChange);
        routes.MapPost(DashboardRoutes.ChangePassword, ChangePasswordAsync).WithMetadata(DashboardEndpoint.PasswordChange);
        routes.MapPost("/projects/{project}/start", StartBuildAsync).WithMetadata(DashboardEndpoint.SignedIn);
        routes.MapPost("/builds/{id}/stop", StopBuildAsync).WithMetadata(DashboardEndpoint.SignedIn);
        routes.MapPost("/builds/{id}/retry", RetryBuildAsync).WithMetadata(DashboardEndpoint.SignedIn);
        MapPipelines(routes);
        MapParameters(routes);
    }

    private static async Task<IResult> SignInAsync(
        [FromForm] SignInForm? form, HttpContext http, IConsoleSignIn signIn, ConsoleSessions sessions, CancellationToken cancellationToken)
    {
        form ??= new SignInForm();
        var result = await signIn.SignInAsync(
            form.Account ?? string.Empty, form.UserName ?? string.Empty, form.Password ?? string.Empty,
            http.Connection.RemoteIpAddress?.ToString() ?? string.Empty, cancellationToken);
        if (result is not { Succeeded: true, Principal: { } principal })
        {
            // A lockout says how long it lasts (429 with Retry-After); every other failure the same words (401).
            if (result.RetryAfter is { } wait)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return new RazorComponentResult<SignInPage>(new Dictionary<string, object?>
            {
                [nameof(SignInPage.Error)] = result.Message ?? SignInFailed,
                [nameof(SignInPage.Account)] = form.Account,
                [nameof(SignInPage.UserName)] = form.UserName,
                [nameof(SignInPage.Return)] = form.Return,
            }) { StatusCode = result.Outcome == Application.Identity.ConsoleSignInOutcome.Locked ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized };
        }

        // A new token at every sign-in: a session id planted before sign-in is never the one signed in.
        if (SessionCookie.Read(http.Request) is { } previous)
        {
            await sessions.EndAsync(previous, cancellationToken);
        }

        var (token, expires) = await sessions.StartAsync(principal, http.Connection.RemoteIpAddress?.ToString(), result.PasswordResetRequired, cancellationToken);
        SessionCookie.Write(http, token, expires);
        return SeeOther(result.PasswordResetRequired ? DashboardRoutes.ChangePassword : DashboardRoutes.SafeReturn(form.Return));
    }

    /// <summary>
    /// IAM's ChangePassword as the signed-in user (the old password, the new one checked against the account's password
    /// policy); then a new session replaces this one, so a session that had to change its password is signed in fully.
    /// </summary>
    private static async Task<IResult> ChangePasswordAsync(
        [FromForm] ChangePasswordForm? form, HttpContext http, DashboardUser user, Application.Identity.LoginProfileService profiles,
        ConsoleSessions sessions, CancellationToken cancellationToken)
    {
        form ??= new ChangePasswordForm();
        try
        {
            if (!string.Equals(form.NewPassword, form.ConfirmPassword, StringComparison.Ordinal))
            {
                throw AwsErrors.NewPasswordsDoNotMatch();
            }

            await profiles.ChangePasswordAsync(user.Context, form.OldPassword ?? string.Empty, form.NewPassword ?? string.Empty, cancellationToken);
        }
        catch (AwsException error)
        {
            return new RazorComponentResult<ChangePasswordPage>(new Dictionary<string, object?> { [nameof(ChangePasswordPage.Error)] = error })
            {
                StatusCode = ProblemPage.StatusOf(error),
            };
        }

        if (SessionCookie.Read(http.Request) is { } previous)
        {
            await sessions.EndAsync(previous, cancellationToken);
        }

        var (token, expires) = await sessions.StartAsync(user.Session!.Principal, http.Connection.RemoteIpAddress?.ToString(), false, cancellationToken);
        SessionCookie.Write(http, token, expires);
        return SeeOther(DashboardRoutes.Projects);
    }

    private static async Task<IResult> SignOutAsync(IFormCollection form, HttpContext http, ConsoleSessions sessions, CancellationToken cancellationToken)
    {
        if (SessionCookie.Read(http.Request) is { } token)
        {
            await sessions.EndAsync(token, cancellationToken);
        }

        SessionCookie.Delete(http);
        return SeeOther(DashboardRoutes.SignIn);
    }

    private static async Task<IResult> StartBuildAsync(
        string project, [FromForm] StartBuildForm? form, DashboardUser user, BuildService builds, CancellationToken cancellationToken)
    {
        try
        {
            var overrides = StartBuildOverrides(form ?? new StartBuildForm());
            var build = await builds.StartBuildAsync(user.Context, new StartBuildRequest(project) { Overrides = overrides }, cancellationToken);
            return SeeOther(DashboardRoutes.Build(build.Id));
        }
        catch (AwsException error)
        {
            return Problem(error);
        }
    }

    private static async Task<IResult> StopBuildAsync(string id, IFormCollection form, DashboardUser user, BuildService builds, CancellationToken cancellationToken)
    {
        try
        {
            var build = await builds.StopBuildAsync(user.Context, id, cancellationToken);
            return SeeOther(DashboardRoutes.Build(build.Id));
        }
        catch (AwsException error)
        {
            return Problem(error);
        }
    }

    /// <summary>RetryBuild as the signed-in user (codebuild:RetryBuild on the project, as the API): a new build with the settings the old one ran with.</summary>
    private static async Task<IResult> RetryBuildAsync(string id, IFormCollection form, DashboardUser user, BuildService builds, CancellationToken cancellationToken)
    {
        try
        {
            var build = await builds.RetryBuildAsync(user.Context, id, idempotencyToken: null, cancellationToken);
            return SeeOther(DashboardRoutes.Build(build.Id));
        }
        catch (AwsException error)
        {
            return Problem(error);
        }
    }

    /// <summary>StartBuild's overrides from the form, checked as CodeBuild's model checks them.</summary>
    internal static JsonObject StartBuildOverrides(StartBuildForm form)
    {
        var overrides = new JsonObject();
        if (form.SourceVersion?.Trim() is { Length: > 0 } version)
        {
            if (version.Length > 255)
            {
                throw AwsErrors.CodeBuildInvalidInput("Source version is longer than 255 characters; give a branch, tag or commit id.");
            }

            overrides["sourceVersion"] = version;
        }

        var variables = new JsonArray();
        var lines = (form.Environment ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? line : line[..eq].Trim();
            if (eq < 0 || !VariableName().IsMatch(name))
            {
                throw AwsErrors.CodeBuildInvalidInput(
                    $"Invalid environment variable override: '{Shorten(line)}'. Write one NAME=value per line; a name is letters, digits and underscores, not starting with a digit.");
            }

            variables.Add(new JsonObject { ["name"] = name, ["value"] = line[(eq + 1)..], ["type"] = "PLAINTEXT" });
        }

        if (variables.Count > 0)
        {
            overrides["environmentVariablesOverride"] = variables;
        }

        return overrides;
    }

    private static IResult SeeOther(string location) => new SeeOtherResult(location);

    private static RazorComponentResult<ProblemPage> Problem(AwsException error) =>
        new(new Dictionary<string, object?> { [nameof(ProblemPage.Error)] = error }) { StatusCode = ProblemPage.StatusOf(error) };

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "..." : text;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,254}$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    /// <summary>303: the browser follows with a GET, so reloading the result never posts the form again.</summary>
    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}

internal sealed class SignInForm
{
    public string? Account { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string? Return { get; set; }
}

internal sealed class ChangePasswordForm
{
    public string? OldPassword { get; set; }

    public string? NewPassword { get; set; }

    public string? ConfirmPassword { get; set; }
}

internal sealed class StartBuildForm
{
    public string? SourceVersion { get; set; }

    public string? Environment { get; set; }
}
