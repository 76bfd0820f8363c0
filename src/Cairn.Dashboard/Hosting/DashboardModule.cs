using Cairn.Dashboard.Components;
using Cairn.Dashboard.Components.Pages;
using Cairn.Dashboard.Forms;
using Cairn.Dashboard.Sessions;
using Cairn.Dashboard.SignIn;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Cairn.Dashboard.Hosting;

/// <summary>The dashboard's registration and its place in the host's request pipeline (docs/dev/dashboard.md).</summary>
public static class DashboardModule
{
    /// <summary>
    /// Registers the pages, sessions and the root-only sign-in (a host may register its own <see cref="IConsoleSignIn"/>
    /// first: TryAdd keeps it).
    /// </summary>
    public static IServiceCollection AddCairnDashboard(this IServiceCollection services, DashboardOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<ConsoleSessions>();
        services.AddScoped<DashboardUser>();
        services.TryAddSingleton<IConsoleSignIn, RootConsoleSignIn>();
        services.AddRazorComponents();
        // Antiforgery's keys live in the shared database, encrypted under the master key (DatabaseKeyRepository), so every
        // server behind one address accepts the others' forms. One application name, whatever each server's content root.
        services.AddDataProtection().SetApplicationName("cairn-dashboard");
        services.AddSingleton<DatabaseKeyRepository>();
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseKeyRepository>((keys, repository) => keys.XmlRepository = repository);
        // Its warning that keys are not encrypted at rest does not see DatabaseKeyRepository's own encryption.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "cairn-antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            antiforgery.FormFieldName = "__csrf";
            antiforgery.SuppressXFrameOptionsHeader = true; // DashboardMiddleware sets it, with frame-ancestors 'none'
        });
        return services;
    }

    /// <summary>
    /// Mounts the dashboard on <paramref name="app"/>, after the host's UseRouting: only requests that are not AWS calls
    /// get here (the host sends those to its API handler first).
    /// </summary>
    public static void UseCairnDashboard(this WebApplication app)
    {
        app.UseMiddleware<DashboardMiddleware>();
        app.UseAntiforgery();
        app.MapGet(DashboardRoutes.Assets + "/{file}", DashboardAssets.Serve).WithMetadata(DashboardEndpoint.Anyone);
        app.MapGet("/", () => Results.Redirect(DashboardRoutes.Projects)).WithMetadata(DashboardEndpoint.SignedIn);
        DashboardForms.Map(app);
        Logs.BuildLogEndpoints.Map(app);
        Cairn.Dashboard.Pipelines.PipelineChangesEndpoint.Map(app);
        Builds.BuildArtifactEndpoint.Map(app);
        app.MapRazorComponents<App>().Finally(endpoint =>
        {
            var page = endpoint.Metadata.OfType<ComponentTypeMetadata>().FirstOrDefault()?.Type;
            endpoint.Metadata.Add(page == typeof(SignInPage) ? DashboardEndpoint.Anyone
                : page == typeof(ChangePasswordPage) ? DashboardEndpoint.PasswordChange : DashboardEndpoint.SignedIn);
            // Pages answer GET only; every form posts to its own endpoint (DashboardForms), never to a page.
            endpoint.Metadata.Add(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        });
    }

    /// <summary>A page for a browser's request no endpoint took: the dashboard's 404.</summary>
    public static Task WriteNotFoundAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        http.Response.Headers.ContentSecurityPolicy = DashboardMiddleware.ContentSecurityPolicy;
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"en\"><head><title>Not found · Cairn</title><link rel=\"stylesheet\" href=\"{DashboardRoutes.Assets}/cairn.css\"></head>"
            + $"<body><main><h1>Not found</h1><p>Nothing is at this address. <a href=\"{DashboardRoutes.Projects}\">Projects</a></p></main></body></html>");
    }

    /// <summary>Whether a request no endpoint took is a browser's page request (else the AWS handler answers it, as it always did).</summary>
    public static bool IsPageRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal);
}
