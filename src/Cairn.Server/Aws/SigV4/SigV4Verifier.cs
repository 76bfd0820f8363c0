using System.Security.Cryptography;
using System.Text;
using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Server.Aws.SigV4;

/// <summary>
/// Checks a parsed SigV4 claim against the request and the access key's credential: time window, session token,
/// signature (constant-time) and payload hash. Pure: no I/O, the clock is passed in. Throws AWS's errors.
/// </summary>
public sealed class SigV4Verifier
{
    /// <summary>AWS rejects requests whose time is more than 5 minutes from its own, either way.</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    private readonly SigningKeyCache _keys = new();
    private readonly bool _normalizePath;

    /// <param name="normalizePath">
    /// True for every service but S3: dot segments and double slashes are removed before signing, and
    /// <c>X-Amz-Content-Sha256: UNSIGNED-PAYLOAD</c> is refused (S3 alone accepts an unsigned body).
    /// </param>
    public SigV4Verifier(bool normalizePath = true)
    {
        _normalizePath = normalizePath;
    }

    public SigV4Verification Verify(AwsHttpRequest request, SigV4Authorization authorization, SigningCredential credential, DateTimeOffset now)
    {
        var protocol = authorization.Protocol;
        CheckTime(authorization, now);
        CheckCredential(authorization, credential, now);

        var declaredHash = request.Header(SigV4Parser.ContentSha256Header)?.Trim();
        if (_normalizePath && declaredHash == SigV4Canonical.UnsignedPayload)
        {
            throw AwsErrors.UnsignedPayloadNotAccepted(protocol);
        }
        var bodyHash = declaredHash == SigV4Canonical.UnsignedPayload ? null : SigV4Canonical.HexSha256(request.Body.Span);
        var payloadHash = declaredHash ?? bodyHash!;

        var query = SigV4Canonical.ParseQuery(request.RawQuery);
        var canonicalUri = SigV4Canonical.CanonicalUri(request.RawPath, _normalizePath);
        var key = _keys.Get(credential.SecretAccessKey, authorization.ScopeDate, authorization.Region, authorization.Service);

        var exclude = authorization.IsPresigned ? SigV4Parser.SignatureParameter : null;
        var result = TrySignature(request, authorization, canonicalUri, SigV4Canonical.CanonicalQuery(query, exclude), payloadHash, key);

        // A presigned token may be appended after signing (aws4_testsuite "post-sts-header-after"); the token is still checked above.
        if (result is null && authorization.IsPresigned && authorization.SecurityToken is not null)
        {
            var withoutToken = SigV4Canonical.CanonicalQuery(query, exclude, SigV4Parser.SecurityTokenParameter);
            result = TrySignature(request, authorization, canonicalUri, withoutToken, payloadHash, key);
        }

        if (result is null)
        {
            throw AwsErrors.SignatureMismatch(protocol);
        }

        if (declaredHash is not null && bodyHash is not null && !string.Equals(declaredHash, bodyHash, StringComparison.OrdinalIgnoreCase))
        {
            throw AwsErrors.PayloadHashMismatch(protocol);
        }

        return result;
    }

    /// <summary>Header form: within the skew either way. Presigned: not from the future, and not past X-Amz-Expires.</summary>
    public static void CheckTime(SigV4Authorization authorization, DateTimeOffset now)
    {
        var time = authorization.RequestTime;
        if (time > now + AllowedClockSkew)
        {
            throw AwsErrors.SignatureNotYetCurrent(authorization.Protocol, time, now, AllowedClockSkew);
        }

        if (authorization.ExpiresSeconds is { } expires)
        {
            if (time.AddSeconds(expires) < now)
            {
                throw AwsErrors.PresignedRequestExpired(authorization.Protocol, time, now, expires);
            }
        }
        else if (time < now - AllowedClockSkew)
        {
            throw AwsErrors.SignatureExpired(authorization.Protocol, time, now, AllowedClockSkew);
        }
    }

    private static void CheckCredential(SigV4Authorization authorization, SigningCredential credential, DateTimeOffset now)
    {
        var protocol = authorization.Protocol;
        if (!credential.Active || !string.Equals(credential.AccessKeyId, authorization.AccessKeyId, StringComparison.Ordinal))
        {
            throw AwsErrors.InvalidClientToken(protocol);
        }

        // Temporary credentials only work with their own token; long-term keys never carry one.
        var expected = credential.SessionToken;
        var given = authorization.SecurityToken;
        if ((expected is null) != (given is null)
            || (expected is not null && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given!))))
        {
            throw AwsErrors.InvalidClientToken(protocol);
        }

        if (credential.Expiration is { } expiration && expiration <= now)
        {
            throw AwsErrors.ExpiredSecurityToken(protocol);
        }
    }

    private static SigV4Verification? TrySignature(
        AwsHttpRequest request,
        SigV4Authorization authorization,
        string canonicalUri,
        string canonicalQuery,
        string payloadHash,
        SigningKey signingKey)
    {
        if (!SigV4Canonical.TryBuildCanonicalRequest(
                request.Method, canonicalUri, canonicalQuery, request.Headers, authorization.SignedHeaders,
                authorization.SignedHeadersText, payloadHash, out var canonicalRequest, out var missingHeader))
        {
            throw AwsErrors.SignedHeaderMissing(authorization.Protocol, missingHeader!);
        }

        var stringToSign = SigV4Canonical.StringToSign(authorization.AmzDate, authorization.Scope, canonicalRequest);
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        SigV4Canonical.Signature(signingKey, stringToSign, expected);
        return SigV4Canonical.SignatureMatches(expected, authorization.Signature)
            ? new SigV4Verification(canonicalRequest, stringToSign)
            : null;
    }
}
