namespace Cairn.Dashboard.Hosting;

/// <summary>Endpoint metadata: the endpoint is the dashboard's, so the session middleware guards it; public ones answer without a session.</summary>
internal sealed record DashboardEndpoint(bool Public)
{
    public static readonly DashboardEndpoint SignedIn = new(false);

    public static readonly DashboardEndpoint Anyone = new(true);
}
