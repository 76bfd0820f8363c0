namespace Cairn.Dashboard.Hosting;

/// <summary>The Parameter Store pages and their forms. A parameter's name (with its slashes) travels as a query value or a form field.</summary>
public static partial class DashboardRoutes
{
    public const string Parameters = "/parameters";

    public const string NewParameter = "/parameters/new";

    public const string PutParameter = "/parameters/put";

    public const string RevealParameter = "/parameter/reveal";

    public static string Parameter(string name) => $"/parameter?name={Uri.EscapeDataString(name)}";

    public static string OverwriteParameter(string name) => $"{NewParameter}?name={Uri.EscapeDataString(name)}";
}
