using System.Globalization;
using Cairn.Core.Errors;

namespace Cairn.Server.Aws.SigV4;

/// <summary>Reads a request's SigV4 claims (header or presigned query form); throws AWS's errors for malformed ones.</summary>
public static class SigV4Parser
{
    public const string AuthorizationHeader = "Authorization";
    public const string AmzDateHeader = "X-Amz-Date";
    public const string SecurityTokenHeader = "X-Amz-Security-Token";
    public const string ContentSha256Header = "X-Amz-Content-Sha256";
    public const string TargetHeader = "X-Amz-Target";

    public const string AlgorithmParameter = "X-Amz-Algorithm";
    public const string CredentialParameter = "X-Amz-Credential";
    public const string DateParameter = "X-Amz-Date";
    public const string SignedHeadersParameter = "X-Amz-SignedHeaders";
    public const string SignatureParameter = "X-Amz-Signature";
    public const string ExpiresParameter = "X-Amz-Expires";
    public const string SecurityTokenParameter = "X-Amz-Security-Token";

    /// <summary>Longest validity a presigned request may ask for (7 days), as AWS allows.</summary>
    public const int MaxExpiresSeconds = 604800;

    /// <summary>JSON when X-Amz-Target is present; Query for form posts and <c>?Action=</c> requests; JSON otherwise.</summary>
    public static AwsProtocol DetectProtocol(AwsHttpRequest request)
    {
        if (request.Header("X-Amz-Target") is not null)
        {
            return AwsProtocol.Json;
        }

        if (request.Header("Content-Type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            return AwsProtocol.Query;
        }

        var query = request.RawQuery;
        return query.StartsWith("Action=", StringComparison.Ordinal) || query.Contains("&Action=", StringComparison.Ordinal)
            ? AwsProtocol.Query
            : AwsProtocol.Json;
    }

    public static SigV4Authorization Parse(AwsHttpRequest request)
    {
        var protocol = DetectProtocol(request);
        var authorization = request.Header(AuthorizationHeader);
        if (authorization is not null)
        {
            return ParseHeader(request, authorization, protocol);
        }

        if (request.RawQuery.Contains("X-Amz-", StringComparison.OrdinalIgnoreCase))
        {
            var query = SigV4Canonical.ParseQuery(request.RawQuery);
            if (Find(query, AlgorithmParameter) is not null || Find(query, CredentialParameter) is not null || Find(query, SignatureParameter) is not null)
            {
                return ParsePresigned(request, query, protocol);
            }
        }

        throw AwsErrors.MissingAuthentication(protocol);
    }

    private static SigV4Authorization ParseHeader(AwsHttpRequest request, string authorization, AwsProtocol protocol)
    {
        var trimmed = authorization.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var algorithm = space < 0 ? trimmed : trimmed[..space];
        var amzDate = request.Header(AmzDateHeader);
        var httpDate = amzDate is null ? request.Header("Date") : null;
        if (algorithm != SigV4Canonical.Algorithm)
        {
            if (algorithm.StartsWith("AWS4-", StringComparison.Ordinal))
            {
                throw AwsErrors.UnsupportedAlgorithm(protocol, algorithm);
            }

            throw AwsErrors.AuthorizationHeaderIncomplete(protocol, ["Credential", "Signature", "SignedHeaders"], amzDate is null && httpDate is null, authorization);
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var element in (space < 0 ? string.Empty : trimmed[space..]).Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = element.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw AwsErrors.AuthorizationNotKeyValue(protocol, element, authorization);
            }

            var value = element[(eq + 1)..];
            switch (element[..eq])
            {
                case "Credential":
                    credential = value;
                    break;
                case "SignedHeaders":
                    signedHeaders = value;
                    break;
                case "Signature":
                    signature = value;
                    break;
            }
        }

        var missing = new List<string>(3);
        if (credential is null)
        {
            missing.Add("Credential");
        }

        if (signature is null)
        {
            missing.Add("Signature");
        }

        if (signedHeaders is null)
        {
            missing.Add("SignedHeaders");
        }

        if (missing.Count > 0 || (amzDate is null && httpDate is null))
        {
            throw AwsErrors.AuthorizationHeaderIncomplete(protocol, missing, amzDate is null && httpDate is null, authorization);
        }

        var (requestTime, dateText) = amzDate is not null ? ParseAmzDate(amzDate, protocol) : ParseHttpDate(httpDate!, protocol);
        return Build(request, protocol, isPresigned: false, credential!, dateText, requestTime, signedHeaders!, signature!, null, request.Header(SecurityTokenHeader));
    }

    private static SigV4Authorization ParsePresigned(AwsHttpRequest request, List<KeyValuePair<string, string>> query, AwsProtocol protocol)
    {
        var algorithm = Find(query, AlgorithmParameter);
        var credential = Find(query, CredentialParameter);
        var date = Find(query, DateParameter);
        var signedHeaders = Find(query, SignedHeadersParameter);
        var signature = Find(query, SignatureParameter);
        var missing = new List<string>(5);
        foreach (var (name, value) in new[]
                 {
                     (AlgorithmParameter, algorithm), (CredentialParameter, credential), (SignatureParameter, signature),
                     (SignedHeadersParameter, signedHeaders), (DateParameter, date),
                 })
        {
            if (value is null)
            {
                missing.Add(name);
            }
        }

        if (missing.Count > 0)
        {
            throw AwsErrors.PresignedQueryIncomplete(protocol, missing);
        }

        if (algorithm != SigV4Canonical.Algorithm)
        {
            throw AwsErrors.UnsupportedAlgorithm(protocol, algorithm!);
        }

        int? expires = null;
        if (Find(query, ExpiresParameter) is { } expiresText)
        {
            if (!int.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > MaxExpiresSeconds)
            {
                throw AwsErrors.PresignedExpiresInvalid(protocol, expiresText);
            }

            expires = seconds;
        }

        var (requestTime, dateText) = ParseAmzDate(date!, protocol);
        var token = Find(query, SecurityTokenParameter) ?? request.Header(SecurityTokenHeader);
        return Build(request, protocol, isPresigned: true, credential!, dateText, requestTime, signedHeaders!, signature!, expires, token);
    }

    private static SigV4Authorization Build(
        AwsHttpRequest request,
        AwsProtocol protocol,
        bool isPresigned,
        string credential,
        string amzDate,
        DateTimeOffset requestTime,
        string signedHeadersText,
        string signature,
        int? expires,
        string? token)
    {
        var scope = credential.Split('/');
        if (scope.Length != 5)
        {
            throw AwsErrors.CredentialElements(protocol, credential);
        }

        if (scope[4] != SigV4Canonical.Terminator)
        {
            throw AwsErrors.CredentialTerminator(protocol, scope[4]);
        }

        if (!amzDate.StartsWith(scope[1], StringComparison.Ordinal) || scope[1].Length != 8)
        {
            throw AwsErrors.CredentialDateMismatch(protocol, scope[1], amzDate);
        }

        var signedHeaders = signedHeadersText.Split(';');
        var hasHost = false;
        var hasTarget = false;
        for (var i = 0; i < signedHeaders.Length; i++)
        {
            signedHeaders[i] = signedHeaders[i].ToLowerInvariant();
            hasHost |= signedHeaders[i] == "host";
            hasTarget |= signedHeaders[i] == "x-amz-target";
        }

        if (!hasHost)
        {
            throw AwsErrors.HostNotSigned(protocol);
        }

        // The target picks the operation; unsigned, it could be changed (GetParameter to DeleteParameter) in flight.
        if (!hasTarget && request.Header(TargetHeader) is not null)
        {
            throw AwsErrors.TargetNotSigned(protocol);
        }

        return new SigV4Authorization(
            protocol, isPresigned, scope[0], scope[1], scope[2], scope[3], amzDate, requestTime,
            signedHeaders, signedHeadersText, signature, expires, token);
    }

    private static (DateTimeOffset Time, string Text) ParseAmzDate(string value, AwsProtocol protocol)
    {
        var text = value.Trim();
        if (!DateTimeOffset.TryParseExact(text, SigV4Canonical.AmzDateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw AwsErrors.InvalidAmzDate(protocol, value);
        }

        return (time, text);
    }

    /// <summary>Without X-Amz-Date, the HTTP Date header (RFC 1123) is the request time; the string to sign uses its ISO form.</summary>
    private static (DateTimeOffset Time, string Text) ParseHttpDate(string value, AwsProtocol protocol)
    {
        if (!DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw AwsErrors.InvalidAmzDate(protocol, value);
        }

        return (time, SigV4Canonical.FormatAmzDate(time));
    }

    private static string? Find(List<KeyValuePair<string, string>> query, string name)
    {
        foreach (var (key, value) in query)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }
}
