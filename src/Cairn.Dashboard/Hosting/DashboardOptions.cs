namespace Cairn.Dashboard.Hosting;

/// <summary>
/// What the dashboard needs from its host, and its session limits (every default here).
/// </summary>
/// <param name="AccountId">The account this server serves: the only one a sign-in can name.</param>
/// <param name="Region">The region pages act in (the server's default region).</param>
/// <param name="RootAccessKeyId">The root user's access key: its secret is the root's console password.</param>
public sealed record DashboardOptions(string AccountId, string Region, string RootAccessKeyId)
{
    /// <summary>A session ends this long after sign-in, used or not (AWS's console: 12 hours).</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>A session unused this long ends.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A session's last use is written at most this often (the idle limit is this coarse).</summary>
    public TimeSpan TouchInterval { get; init; } = TimeSpan.FromMinutes(1);
}
