using System.Security.Claims;
using Cairn.Core.Audit;
using Cairn.Dashboard.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Cairn.Dashboard.Hosting;

/// <summary>
/// Runs after routing, for the dashboard's endpoints only (<see cref="DashboardEndpoint"/>): the security headers, then
/// the session. Without a live session only the sign-in page and the stylesheet answer; everything else redirects to sign-in.
/// A session that must change its password is sent to the change-password page from everywhere else. With one, the request runs as its
/// principal (<see cref="DashboardUser"/>), and its authorization decisions are audited when it ends.
/// </summary>
internal sealed class DashboardMiddleware(RequestDelegate next, ConsoleSessions sessions, IAuditLog audit)
{
    /// <summary>No inline script or style anywhere; scripts only as this origin's ES modules, where something must be live.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public async Task InvokeAsync(HttpContext http, DashboardUser user)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<DashboardEndpoint>() is not { } endpoint)
        {
            await next(http);
            return;
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-cache, no-store"; // as antiforgery sets it (it warns when it must override another value)
        headers.Pragma = "no-cache";

        user.ClientAddress = http.Connection.RemoteIpAddress?.ToString();
        if (SessionCookie.Read(http.Request) is { } token)
        {
            user.Session = await sessions.ResumeAsync(token, http.RequestAborted);
            if (user.Session is null)
            {
                SessionCookie.Delete(http);
            }
            else
            {
                // The antiforgery tokens are bound to this session: a token issued to another session is refused.
                http.User = new ClaimsPrincipal(new ClaimsIdentity(
                    [new Claim(ClaimTypes.NameIdentifier, Convert.ToHexString(user.Session.TokenHash)), new Claim(ClaimTypes.Name, user.Session.Principal.Arn)],
                    "CairnConsole"));
            }
        }

        if (user.Session is null && !endpoint.Public)
        {
            var back = http.Request.Path + http.Request.QueryString;
            http.Response.Redirect($"{DashboardRoutes.SignIn}?return={Uri.EscapeDataString(back)}");
            return;
        }

        // A password that must be changed (reset required, or expired) comes before any other page, as on AWS's console.
        if (user.Session is { PasswordChangeRequired: true } && !endpoint.Public && !endpoint.DuringPasswordChange)
        {
            http.Response.Redirect(DashboardRoutes.ChangePassword);
            return;
        }

        try
        {
            await next(http);
            if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } && !http.Response.HasStarted)
            {
                await WriteFormRefusedAsync(http);
            }
        }
        finally
        {
            user.Audit(audit, $"console:{http.Request.Method} {http.Request.Path.Value}", http.Response.StatusCode);
        }
    }

    /// <summary>A form without a valid antiforgery token: 400, and what to do (it was forged, or its page is older than the session or the server).</summary>
    private static Task WriteFormRefusedAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Form refused · Cairn</title>"
            + $"<link rel=\"stylesheet\" href=\"{DashboardRoutes.Assets}/cairn.css\"></head><body><main><section class=\"problem\" role=\"alert\">"
            + "<h2>Form refused</h2><p class=\"message\">This form's antiforgery token is missing or not valid for your session, so nothing was done. "
            + "It happens when the page was loaded before you signed in again or before the server restarted, or when another site sent the form. "
            + $"Reload the page and submit it again.</p></section><p><a href=\"{DashboardRoutes.Projects}\">Projects</a></p></main></body></html>");
    }
}
