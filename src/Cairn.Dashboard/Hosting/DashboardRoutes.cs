namespace Cairn.Dashboard.Hosting;

/// <summary>The dashboard's URLs, in one place: pages link with these, tests request them.</summary>
public static partial class DashboardRoutes
{
    public const string SignIn = "/signin";
    public const string SignOut = "/signout";
    public const string Projects = "/projects";
    public const string Builds = "/builds";
    public const string Assets = "/_dashboard";

    public static string ProjectBuilds(string project) => $"/projects/{Uri.EscapeDataString(project)}/builds";

    public static string StartBuild(string project) => $"/projects/{Uri.EscapeDataString(project)}/start";

    public static string Build(string id) => $"/builds/{Uri.EscapeDataString(id)}";

    public static string StopBuild(string id) => $"/builds/{Uri.EscapeDataString(id)}/stop";

    /// <summary>Only a path of this site may be a sign-in's destination (no open redirect).</summary>
    public static string SafeReturn(string? target) =>
        target is { Length: > 1 } && target[0] == '/' && target[1] is not '/' and not '\\' ? target : Projects;
}
