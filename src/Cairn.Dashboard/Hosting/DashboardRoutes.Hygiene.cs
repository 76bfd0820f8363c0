namespace Cairn.Dashboard.Hosting;

/// <summary>Secret hygiene: the secrets report (under Parameters) and the least-privilege tab of a role or user.</summary>
public static partial class DashboardRoutes
{
    public const string SecretsReport = "/parameters/report";

    public static string SecretsReportOf(string kind) => $"{SecretsReport}?kind={Uri.EscapeDataString(kind)}";

    public static string IamRoleLeastPrivilege(string name, string? since = null) => $"{IamRole(name)}/least-privilege{SinceQuery(since)}";

    public static string IamUserLeastPrivilege(string name, string? since = null) => $"{IamUser(name)}/least-privilege{SinceQuery(since)}";

    private static string SinceQuery(string? since) => since is null ? string.Empty : $"?since={Uri.EscapeDataString(since)}";
}
