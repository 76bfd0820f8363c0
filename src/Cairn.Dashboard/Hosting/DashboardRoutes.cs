namespace Cairn.Dashboard.Hosting;

/// <summary>The dashboard's URLs, in one place: pages link with these, tests request them.</summary>
public static partial class DashboardRoutes
{
    public const string SignIn = "/signin";
    public const string SignOut = "/signout";

    /// <summary>ChangePassword as the signed-in user; where a sign-in whose password must change is sent first.</summary>
    public const string ChangePassword = "/change-password";
    public const string Projects = "/projects";
    public const string Builds = "/builds";
    public const string Assets = "/_dashboard";

    public static string ProjectBuilds(string project) => $"/projects/{Uri.EscapeDataString(project)}/builds";

    public static string StartBuild(string project) => $"/projects/{Uri.EscapeDataString(project)}/start";

    public static string Build(string id) => $"/builds/{Uri.EscapeDataString(id)}";

    public static string StopBuild(string id) => $"/builds/{Uri.EscapeDataString(id)}/stop";

    /// <summary>RetryBuild's form: the build again, as a new build.</summary>
    public static string RetryBuild(string id) => $"/builds/{Uri.EscapeDataString(id)}/retry";

    /// <summary>One of the build's artifact files, downloaded (<paramref name="path"/> as the build page lists it).</summary>
    public static string BuildArtifact(string id, string path) => $"/builds/{Uri.EscapeDataString(id)}/artifacts?path={Uri.EscapeDataString(path)}";

    /// <summary>The build's live log as Server-Sent Events (Last-Event-ID resumes).</summary>
    public static string BuildLogEvents(string id) => $"/builds/{Uri.EscapeDataString(id)}/log/events";

    /// <summary>Up to 1,000 lines before ?before=N, as JSON ("load earlier").</summary>
    public static string BuildLogLines(string id) => $"/builds/{Uri.EscapeDataString(id)}/log/lines";

    /// <summary>The whole log searched for ?q=, as JSON (count and match indexes).</summary>
    public static string BuildLogSearch(string id) => $"/builds/{Uri.EscapeDataString(id)}/log/search";

    /// <summary>The log as plain text; ?download=1 as a file.</summary>
    public static string BuildLogRaw(string id) => $"/builds/{Uri.EscapeDataString(id)}/log/raw";

    /// <summary>Only a path of this site may be a sign-in's destination (no open redirect).</summary>
    public static string SafeReturn(string? target) =>
        target is { Length: > 1 } && target[0] == '/' && target[1] is not '/' and not '\\' ? target : Projects;
}
