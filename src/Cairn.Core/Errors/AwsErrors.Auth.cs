using System.Globalization;

namespace Cairn.Core.Errors;

/// <summary>
/// Signature Version 4 failures. JSON services and Query services (IAM, STS) name the same failure differently:
/// UnrecognizedClientException / InvalidClientTokenId, InvalidSignatureException / SignatureDoesNotMatch, and so on.
/// </summary>
public static partial class AwsErrors
{
    public const string SignatureMismatchText =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private const string InvalidTokenText = "The security token included in the request is invalid.";

    /// <summary>No Authorization header and no presigned query parameters.</summary>
    public static AwsException MissingAuthentication(AwsProtocol protocol) => protocol == AwsProtocol.Query
        ? new("MissingAuthenticationToken", "Request is missing Authentication Token", 403)
        : new("MissingAuthenticationTokenException", "Request is missing Authentication Token");

    /// <summary>The Authorization header or presigned query is malformed.</summary>
    public static AwsException IncompleteSignature(AwsProtocol protocol, string message) => protocol == AwsProtocol.Query
        ? new("IncompleteSignature", message)
        : new("IncompleteSignatureException", message);

    /// <summary>Unknown or inactive access key, or a session token that does not belong to it.</summary>
    public static AwsException InvalidClientToken(AwsProtocol protocol) => protocol == AwsProtocol.Query
        ? new("InvalidClientTokenId", InvalidTokenText, 403)
        : new("UnrecognizedClientException", InvalidTokenText);

    /// <summary>Temporary credentials past their expiration.</summary>
    public static AwsException ExpiredSecurityToken(AwsProtocol protocol) => protocol == AwsProtocol.Query
        ? new("ExpiredToken", "The security token included in the request is expired", 403)
        : new("ExpiredTokenException", "The security token included in the request is expired");

    /// <summary>The signature does not verify, or a signed value contradicts the request (dates, payload hash).</summary>
    public static AwsException SignatureMismatch(AwsProtocol protocol, string message = SignatureMismatchText) => protocol == AwsProtocol.Query
        ? new("SignatureDoesNotMatch", message, 403)
        : new("InvalidSignatureException", message);

    /// <summary>Request time more than the allowed skew before now.</summary>
    public static AwsException SignatureExpired(AwsProtocol protocol, DateTimeOffset requestTime, DateTimeOffset now, TimeSpan skew) =>
        SignatureMismatch(protocol,
            $"Signature expired: {AmzDate(requestTime)} is now earlier than {AmzDate(now - skew)} ({AmzDate(now)} - {skew.TotalMinutes:0} min.)");

    /// <summary>Request time more than the allowed skew after now.</summary>
    public static AwsException SignatureNotYetCurrent(AwsProtocol protocol, DateTimeOffset requestTime, DateTimeOffset now, TimeSpan skew) =>
        SignatureMismatch(protocol,
            $"Signature not yet current: {AmzDate(requestTime)} is still later than {AmzDate(now + skew)} ({AmzDate(now)} + {skew.TotalMinutes:0} min.)");

    /// <summary>A presigned request used after X-Amz-Date + X-Amz-Expires.</summary>
    public static AwsException PresignedRequestExpired(AwsProtocol protocol, DateTimeOffset requestTime, DateTimeOffset now, int expiresSeconds) =>
        SignatureMismatch(protocol,
            $"Signature expired: {AmzDate(requestTime)} is now earlier than {AmzDate(now.AddSeconds(-expiresSeconds))} ({AmzDate(now)} - {expiresSeconds} sec.)");

    public static AwsException CredentialDateMismatch(AwsProtocol protocol, string scopeDate, string amzDate) =>
        SignatureMismatch(protocol,
            $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{amzDate[..Math.Min(8, amzDate.Length)]}', from '{amzDate}'.");

    public static AwsException PayloadHashMismatch(AwsProtocol protocol) =>
        SignatureMismatch(protocol, "The provided 'x-amz-content-sha256' header does not match what was computed.");

    /// <summary>AWS lists every missing part in one message, then echoes the header.</summary>
    public static AwsException AuthorizationHeaderIncomplete(AwsProtocol protocol, IEnumerable<string> missingParameters, bool missingDate, string authorization)
    {
        var parts = missingParameters.Select(p => $"Authorization header requires '{p}' parameter. ").ToList();
        if (missingDate)
        {
            parts.Add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }

        return IncompleteSignature(protocol, string.Concat(parts) + "Authorization=" + authorization);
    }

    public static AwsException AuthorizationNotKeyValue(AwsProtocol protocol, string element, string authorization) =>
        IncompleteSignature(protocol, $"'{element}' not a valid key=value pair (missing equal-sign) in Authorization header: '{authorization}'.");

    public static AwsException UnsupportedAlgorithm(AwsProtocol protocol, string algorithm) =>
        IncompleteSignature(protocol, $"Unsupported AWS 'algorithm': '{algorithm}'. Use AWS4-HMAC-SHA256.");

    public static AwsException CredentialElements(AwsProtocol protocol, string credential) =>
        IncompleteSignature(protocol, $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'");

    public static AwsException CredentialTerminator(AwsProtocol protocol, string terminator) =>
        IncompleteSignature(protocol, $"Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'. ");

    public static AwsException InvalidAmzDate(AwsProtocol protocol, string value) =>
        IncompleteSignature(protocol, $"Date must be in ISO-8601 'basic format'. Got '{value}'. See http://en.wikipedia.org/wiki/ISO_8601");

    public static AwsException HostNotSigned(AwsProtocol protocol) =>
        IncompleteSignature(protocol, "'Host' must be a 'SignedHeader' in the AWS Authorization.");

    /// <summary>The scope names another service than the one serving the request (AWS's text, trailing space included).</summary>
    public static AwsException CredentialScopeService(AwsProtocol protocol, string service) =>
        SignatureMismatch(protocol, $"Credential should be scoped to correct service: '{service}'. ");

    /// <summary>The scope's region is not a region of any AWS partition.</summary>
    public static AwsException CredentialScopeRegion(AwsProtocol protocol, string region) =>
        SignatureMismatch(protocol, $"Credential should be scoped to a valid region, not '{region}'. ");

    /// <summary>JSON requests must sign X-Amz-Target: otherwise the operation could be swapped without breaking the signature.</summary>
    public static AwsException TargetNotSigned(AwsProtocol protocol) =>
        IncompleteSignature(protocol, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");

    /// <summary>UNSIGNED-PAYLOAD leaves the body unsigned; only S3 accepts it.</summary>
    public static AwsException UnsignedPayloadNotAccepted(AwsProtocol protocol) =>
        SignatureMismatch(protocol,
            "The provided 'x-amz-content-sha256' header does not match what was computed. UNSIGNED-PAYLOAD is accepted only by Amazon S3: sign the body (its hex SHA-256) instead.");

    public static AwsException SignedHeaderMissing(AwsProtocol protocol, string header) =>
        IncompleteSignature(protocol, $"'{header}' is named as a SignedHeader, but it does not exist in the HTTP request.");

    /// <summary>Presigned (query) form: every missing X-Amz-* parameter, in one message.</summary>
    public static AwsException PresignedQueryIncomplete(AwsProtocol protocol, IEnumerable<string> missingParameters) =>
        IncompleteSignature(protocol,
            string.Concat(missingParameters.Select(p => $"AWS query-string parameters must include '{p}'. ")) + "Re-examine the query-string parameters.");

    public static AwsException PresignedExpiresInvalid(AwsProtocol protocol, string value) =>
        IncompleteSignature(protocol, $"X-Amz-Expires must be a whole number of seconds from 1 to 604800 (7 days), got '{value}'.");

    private static string AmzDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
