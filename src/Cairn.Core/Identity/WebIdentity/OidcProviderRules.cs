using System.Net;
using Cairn.Core.Errors;

namespace Cairn.Core.Identity.WebIdentity;

/// <summary>
/// IAM's rules for OpenID Connect providers: the URL (https, no query or fragment; plain http only for a loopback host,
/// which AWS does not allow: Cairn's tests run their issuer on 127.0.0.1), the ARN made from it, client ids and
/// thumbprints, and the quotas.
/// </summary>
public static class OidcProviderRules
{
    /// <summary>IAM's quota: OpenID Connect providers per account.</summary>
    public const int MaxProvidersPerAccount = 100;

    /// <summary>IAM's quota: client ids (audiences) per provider.</summary>
    public const int MaxClientIds = 100;

    /// <summary>IAM's limit: thumbprints per provider.</summary>
    public const int MaxThumbprints = 5;

    /// <summary>
    /// The provider's id as ARNs and condition keys name it: the URL without <c>https://</c> (or a loopback's <c>http://</c>)
    /// and without a trailing slash. Throws InvalidInput for a URL IAM refuses.
    /// </summary>
    public static string ProviderId(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0
            || string.IsNullOrEmpty(uri.Host))
        {
            throw AwsErrors.InvalidOidcProviderUrl(url);
        }

        var allowed = uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri));
        if (!allowed)
        {
            throw AwsErrors.InvalidOidcProviderUrl(url);
        }

        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        return rest.TrimEnd('/');
    }

    /// <summary>Whether a token issuer (the <c>iss</c> claim) may be fetched over plain http: loopback hosts only.</summary>
    public static bool IsLoopback(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    public static string Arn(string accountId, string url) => $"arn:aws:iam::{accountId}:oidc-provider/{ProviderId(url)}";

    /// <summary>Whether <paramref name="arn"/> names an OpenID Connect provider of <paramref name="accountId"/>.</summary>
    public static bool IsProviderArn(string arn, string accountId) =>
        arn.StartsWith($"arn:aws:iam::{accountId}:oidc-provider/", StringComparison.Ordinal) && arn.Length > $"arn:aws:iam::{accountId}:oidc-provider/".Length;

    /// <summary>Thumbprints are 40 hexadecimal digits (a SHA-1 of the issuer's certificate), at most five.</summary>
    public static IReadOnlyList<string> Thumbprints(IReadOnlyList<string> thumbprints)
    {
        ArgumentNullException.ThrowIfNull(thumbprints);
        if (thumbprints.Count > MaxThumbprints)
        {
            throw AwsErrors.TooManyThumbprints(thumbprints.Count);
        }

        foreach (var thumbprint in thumbprints)
        {
            if (thumbprint.Length != 40 || !thumbprint.All(Uri.IsHexDigit))
            {
                throw AwsErrors.InvalidThumbprint(thumbprint);
            }
        }

        return thumbprints.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Client ids are 1-255 characters, at most 100 per provider; duplicates count once.</summary>
    public static IReadOnlyList<string> ClientIds(IReadOnlyList<string> clientIds)
    {
        ArgumentNullException.ThrowIfNull(clientIds);
        foreach (var id in clientIds)
        {
            if (id.Length is < 1 or > 255)
            {
                throw AwsErrors.InvalidClientId(id);
            }
        }

        var distinct = clientIds.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > MaxClientIds)
        {
            throw AwsErrors.Quota("ClientIdsPerOpenIdConnectProvider", MaxClientIds);
        }

        return distinct;
    }
}
