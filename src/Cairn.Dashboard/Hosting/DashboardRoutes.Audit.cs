namespace Cairn.Dashboard.Hosting;

/// <summary>The audit trail page.</summary>
public static partial class DashboardRoutes
{
    public const string Audit = "/audit";
}
