namespace Cairn.Dashboard.Hosting;

/// <summary>
/// Endpoint metadata: the endpoint is the dashboard's, so the session middleware guards it; public ones answer without a
/// session; <see cref="DuringPasswordChange"/> ones also answer a session that must change its password first.
/// </summary>
internal sealed record DashboardEndpoint(bool Public, bool DuringPasswordChange = false)
{
    public static readonly DashboardEndpoint SignedIn = new(false);

    public static readonly DashboardEndpoint Anyone = new(true);

    /// <summary>The change-password page and form, and sign-out: all a session that must change its password may reach.</summary>
    public static readonly DashboardEndpoint PasswordChange = new(false, true);
}
