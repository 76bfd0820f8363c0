using System.Globalization;

namespace Cairn.Core.Identity.Policies;

/// <summary>The global condition keys AWS puts in every request's context, built from who is asking and how.</summary>
public static class ConditionKeys
{
    /// <summary>
    /// aws:username (IAM users only), aws:userid, aws:PrincipalArn (for a session: its role's ARN), aws:PrincipalAccount,
    /// aws:PrincipalType, aws:PrincipalTag/*, aws:SourceIp, aws:CurrentTime, aws:EpochTime, aws:SecureTransport,
    /// aws:RequestedRegion, and aws:TokenIssueTime for temporary credentials.
    /// </summary>
    /// <param name="principalArn">aws:PrincipalArn when it differs from the principal's ARN (an assumed role's role ARN, with its path).</param>
    public static ConditionContext ForRequest(
        Principal principal,
        DateTimeOffset time,
        string? sourceIp,
        string? region,
        bool secureTransport,
        string? principalArn = null,
        IReadOnlyDictionary<string, string>? principalTags = null,
        DateTimeOffset? tokenIssueTime = null)
    {
        var context = new ConditionContext()
            .Set("aws:userid", principal.UserId)
            .Set("aws:PrincipalArn", principalArn ?? PrincipalArnOf(principal))
            .Set("aws:PrincipalAccount", principal.AccountId)
            .Set("aws:PrincipalType", principal.Kind switch
            {
                PrincipalKind.Root => "Account",
                PrincipalKind.User => "User",
                PrincipalKind.AssumedRole => "AssumedRole",
                _ => "Service",
            })
            .Set("aws:SourceIp", sourceIp)
            .Set("aws:CurrentTime", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .Set("aws:EpochTime", time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .Set("aws:SecureTransport", secureTransport ? "true" : "false")
            .Set("aws:RequestedRegion", region);
        if (principal.Kind == PrincipalKind.User)
        {
            context.Set("aws:username", principal.Name);
        }

        if (tokenIssueTime is { } issued)
        {
            context.Set("aws:TokenIssueTime", issued.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        if (principalTags is not null)
        {
            foreach (var (key, value) in principalTags)
            {
                context.Set("aws:PrincipalTag/" + key, value);
            }
        }

        return context;
    }

    /// <summary>For an assumed role, the role's ARN (without path) derived from the session ARN; otherwise the principal's ARN.</summary>
    public static string PrincipalArnOf(Principal principal)
    {
        const string Marker = ":assumed-role/";
        if (principal.Kind != PrincipalKind.AssumedRole)
        {
            return principal.Arn;
        }

        var at = principal.Arn.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return principal.Arn;
        }

        var rest = principal.Arn[(at + Marker.Length)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var role = slash < 0 ? rest : rest[..slash];
        return $"arn:aws:iam::{principal.AccountId}:role/{role}";
    }
}
