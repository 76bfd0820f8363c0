namespace Cairn.Core.Errors;

/// <summary>OpenID Connect providers (IAM) and AssumeRoleWithWebIdentity (STS).</summary>
public static partial class AwsErrors
{
    /// <summary>AWS's text, with what Cairn accepts.</summary>
    public static AwsException InvalidOidcProviderUrl(string url) => InvalidInput(
        $"Invalid Open ID Connect Provider URL: {url}. Give the issuer's https URL without query or fragment, as its tokens' iss claim says "
        + "(e.g. https://token.actions.githubusercontent.com); plain http is accepted only for a loopback host (127.0.0.1, ::1, localhost).");

    /// <summary>AWS's text.</summary>
    public static AwsException TooManyThumbprints(int count) =>
        InvalidInput($"Thumbprint list must contain fewer than 5 entries; it has {count}.");

    public static AwsException InvalidThumbprint(string thumbprint) => InvalidInput(
        $"Thumbprint {thumbprint} is not valid: a thumbprint is 40 hexadecimal digits, the SHA-1 fingerprint of the issuer's certificate.");

    public static AwsException InvalidClientId(string clientId) =>
        InvalidInput($"Client ID '{clientId}' is not valid: a client ID (audience) is 1 to 255 characters.");

    /// <summary>AWS's text.</summary>
    public static AwsException OidcProviderExists(string url) => EntityAlreadyExists($"Provider with url {url} already exists.");

    /// <summary>AWS's text.</summary>
    public static AwsException NoSuchOidcProvider(string arn) => NoSuchEntity($"OpenIDConnect Provider not found for arn {arn}");

    /// <summary>A token STS cannot accept; the message says which check failed.</summary>
    public static AwsException InvalidIdentityToken(string message) => new("InvalidIdentityToken", message);

    public static AwsException ExpiredWebIdentityToken(DateTimeOffset now, DateTimeOffset expiration) => new(
        "ExpiredTokenException",
        $"Token expired: current date/time {now:yyyy-MM-ddTHH:mm:ssZ} must be before the expiration date/time {expiration:yyyy-MM-ddTHH:mm:ssZ}. Get a new token from the identity provider.");

    public static AwsException IdpCommunicationError(string issuer, string detail) => new(
        "IDPCommunicationError",
        $"Couldn't retrieve verification key from your identity provider {issuer}: {detail}. Check that the issuer serves /.well-known/openid-configuration and its jwks_uri.");

    public static AwsException WebIdentityNotAuthorized(string roleArn, string providerArn) => QueryAccessDenied(
        $"Not authorized to perform sts:AssumeRoleWithWebIdentity on resource: {roleArn}: no statement of the role's trust policy allows "
        + $"the principal {{\"Federated\": \"{providerArn}\"}} with this token's claims. Check the trust policy's Principal, Action and the conditions on the provider's aud, sub and amr keys.");
}
