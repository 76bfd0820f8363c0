using Microsoft.AspNetCore.Http;

namespace Cairn.Dashboard.Sessions;

/// <summary>The session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, gone when the session's absolute limit is.</summary>
public static class SessionCookie
{
    public const string Name = "cairn-session";

    public static string? Read(HttpRequest request) => request.Cookies.TryGetValue(Name, out var token) && token.Length > 0 ? token : null;

    public static void Write(HttpContext http, string token, DateTimeOffset expiresAt) =>
        http.Response.Cookies.Append(Name, token, Options(http, expiresAt));

    public static void Delete(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http, null));

    private static CookieOptions Options(HttpContext http, DateTimeOffset? expiresAt) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expiresAt,
        IsEssential = true,
    };
}
