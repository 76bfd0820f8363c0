using System.Text;

namespace Cairn.Server.Aws.SigV4;

/// <summary>
/// Client-side SigV4 for tests, benchmarks and in-process callers: signs an <see cref="HttpRequestMessage"/> the way
/// botocore does for non-S3 services (host, content-type and every x-amz-* header), or builds a presigned URL.
/// </summary>
public sealed class SigV4Signer
{
    private readonly string _accessKeyId;
    private readonly string _secretAccessKey;
    private readonly string _region;
    private readonly string _service;
    private readonly string? _sessionToken;
    private readonly SigningKeyCache _keys = new();

    public SigV4Signer(string accessKeyId, string secretAccessKey, string region, string service, string? sessionToken = null)
    {
        _accessKeyId = accessKeyId;
        _secretAccessKey = secretAccessKey;
        _region = region;
        _service = service;
        _sessionToken = sessionToken;
    }

    /// <summary>Reads the content (if any) to hash it, then signs.</summary>
    public async Task SignAsync(HttpRequestMessage request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Sign(request, body, now);
    }

    /// <summary>Adds Host, X-Amz-Date, X-Amz-Security-Token (temporary credentials) and Authorization. <paramref name="body"/> must be the content's bytes.</summary>
    public void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute
            ? absolute
            : throw new ArgumentException(
                "The request needs an absolute RequestUri to be signed (Host is signed); for an HttpClient with a BaseAddress, sign with SigV4SigningHandler.",
                nameof(request));
        var amzDate = SigV4Canonical.FormatAmzDate(now);
        var date = amzDate[..8];

        request.Headers.Remove(SigV4Parser.AuthorizationHeader);
        request.Headers.Remove(SigV4Parser.AmzDateHeader);
        request.Headers.Remove(SigV4Parser.SecurityTokenHeader);
        request.Headers.Host = HostHeader(uri);
        request.Headers.TryAddWithoutValidation(SigV4Parser.AmzDateHeader, amzDate);
        if (_sessionToken is not null)
        {
            request.Headers.TryAddWithoutValidation(SigV4Parser.SecurityTokenHeader, _sessionToken);
        }

        var headers = new List<KeyValuePair<string, string>>();
        var names = new SortedSet<string>(StringComparer.Ordinal);
        void Collect(System.Net.Http.Headers.HttpHeadersNonValidated source)
        {
            foreach (var (name, values) in source)
            {
                var lower = name.ToLowerInvariant();
                if (lower is not ("host" or "content-type" or "content-md5") && !lower.StartsWith("x-amz-", StringComparison.Ordinal))
                {
                    continue;
                }

                names.Add(lower);
                foreach (var value in values)
                {
                    headers.Add(new(lower, value));
                }
            }
        }

        Collect(request.Headers.NonValidated);
        if (request.Content is not null)
        {
            Collect(request.Content.Headers.NonValidated);
        }

        var declaredHash = headers.Find(h => h.Key == "x-amz-content-sha256").Value;
        var payloadHash = declaredHash ?? SigV4Canonical.HexSha256(body);
        var signedHeaders = names.ToList();
        var signedHeadersText = string.Join(';', signedHeaders);
        var query = SigV4Canonical.CanonicalQuery(SigV4Canonical.ParseQuery(uri.Query.TrimStart('?')));
        SigV4Canonical.TryBuildCanonicalRequest(
            request.Method.Method, SigV4Canonical.CanonicalUri(uri.AbsolutePath, normalize: true), query, headers,
            signedHeaders, signedHeadersText, payloadHash, out var canonicalRequest, out _);

        var scope = SigV4Canonical.Scope(date, _region, _service);
        var signature = Signature(date, amzDate, scope, canonicalRequest);
        request.Headers.TryAddWithoutValidation(
            SigV4Parser.AuthorizationHeader,
            $"{SigV4Canonical.Algorithm} Credential={_accessKeyId}/{scope}, SignedHeaders={signedHeadersText}, Signature={signature}");
    }

    /// <summary>A presigned URL (query form) for a request without a body, valid for <paramref name="expires"/>; only Host is signed.</summary>
    public Uri Presign(HttpMethod method, Uri uri, DateTimeOffset now, TimeSpan expires)
    {
        var amzDate = SigV4Canonical.FormatAmzDate(now);
        var date = amzDate[..8];
        var scope = SigV4Canonical.Scope(date, _region, _service);
        var parameters = SigV4Canonical.ParseQuery(uri.Query.TrimStart('?'));
        parameters.Add(new(SigV4Parser.AlgorithmParameter, SigV4Canonical.Algorithm));
        parameters.Add(new(SigV4Parser.CredentialParameter, $"{_accessKeyId}/{scope}"));
        parameters.Add(new(SigV4Parser.DateParameter, amzDate));
        parameters.Add(new(SigV4Parser.ExpiresParameter, ((int)expires.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        parameters.Add(new(SigV4Parser.SignedHeadersParameter, "host"));
        if (_sessionToken is not null)
        {
            parameters.Add(new(SigV4Parser.SecurityTokenParameter, _sessionToken));
        }

        var query = SigV4Canonical.CanonicalQuery(parameters);
        SigV4Canonical.TryBuildCanonicalRequest(
            method.Method, SigV4Canonical.CanonicalUri(uri.AbsolutePath, normalize: true), query,
            [new("host", HostHeader(uri))], ["host"], "host", SigV4Canonical.EmptyPayloadHash, out var canonicalRequest, out _);

        var signature = Signature(date, amzDate, scope, canonicalRequest);
        return new UriBuilder(uri) { Query = $"{query}&{SigV4Parser.SignatureParameter}={signature}" }.Uri;
    }

    /// <summary>What HttpClient sends as Host: the port only when it is not the scheme's default.</summary>
    private static string HostHeader(Uri uri) => uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";

    private string Signature(string date, string amzDate, string scope, string canonicalRequest)
    {
        var key = _keys.Get(_secretAccessKey, date, _region, _service);
        var stringToSign = SigV4Canonical.StringToSign(amzDate, scope, canonicalRequest);
        Span<byte> mac = stackalloc byte[32];
        SigV4Canonical.Signature(key, stringToSign, mac);
        return Convert.ToHexStringLower(mac);
    }
}
