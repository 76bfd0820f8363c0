using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cairn.Server.Aws.SigV4;

/// <summary>
/// The parts of Signature Version 4 that signer and verifier must compute identically: canonical URI, query and
/// headers, the canonical request, the string to sign, the signing key and the signature.
/// </summary>
internal static class SigV4Canonical
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Terminator = "aws4_request";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>hex(SHA256("")): the payload hash of every request without a body.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const string Hex = "0123456789ABCDEF";

    public static string FormatAmzDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    public static string HexSha256(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return EmptyPayloadHash;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Non-S3 services sign the path as it went over the wire, normalized (dot segments and empty segments removed)
    /// and then URI-encoded once more, so "%20" on the wire is "%2520" in the canonical request.
    /// </summary>
    public static string CanonicalUri(string rawPath, bool normalize)
    {
        var path = rawPath.Length == 0 ? "/" : rawPath;
        if (normalize)
        {
            path = NormalizePath(path);
        }

        var builder = new StringBuilder(path.Length + 16);
        UriEncode(builder, path, keepSlash: true);
        return builder.ToString();
    }

    /// <summary>RFC 3986 remove_dot_segments, plus AWS's collapsing of empty segments; a trailing slash survives.</summary>
    public static string NormalizePath(string path)
    {
        if (path == "/" || (!path.Contains("//", StringComparison.Ordinal) && !path.Contains("/.", StringComparison.Ordinal)))
        {
            return path.Length == 0 ? "/" : path;
        }

        var kept = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (kept.Count > 0)
                {
                    kept.RemoveAt(kept.Count - 1);
                }

                continue;
            }

            kept.Add(segment);
        }

        var trailing = path.EndsWith('/') && kept.Count > 0 ? "/" : string.Empty;
        return "/" + string.Join('/', kept) + trailing;
    }

    /// <summary>Splits a raw query into percent-decoded (name, value) pairs; '+' stays a literal plus.</summary>
    public static List<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (rawQuery.Length == 0)
        {
            return result;
        }

        foreach (var pair in rawQuery.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            result.Add(new(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value)));
        }

        return result;
    }

    /// <summary>Every parameter except the excluded names, re-encoded, sorted by name then value (byte order).</summary>
    public static string CanonicalQuery(IReadOnlyList<KeyValuePair<string, string>> parameters, string? exclude = null, string? excludeToo = null)
    {
        if (parameters.Count == 0)
        {
            return string.Empty;
        }

        var encoded = new List<(string Name, string Value)>(parameters.Count);
        var scratch = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (name == exclude || name == excludeToo)
            {
                continue;
            }

            scratch.Clear();
            UriEncode(scratch, name, keepSlash: false);
            var encodedName = scratch.ToString();
            scratch.Clear();
            UriEncode(scratch, value, keepSlash: false);
            encoded.Add((encodedName, scratch.ToString()));
        }

        encoded.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });

        scratch.Clear();
        foreach (var (name, value) in encoded)
        {
            if (scratch.Length > 0)
            {
                scratch.Append('&');
            }

            scratch.Append(name).Append('=').Append(value);
        }

        return scratch.ToString();
    }

    /// <summary>
    /// METHOD, URI, query, one line per signed header (in SignedHeaders order; repeated headers joined by ','), a blank
    /// line, the SignedHeaders list and the payload hash. Returns false and names the header when a signed one is absent.
    /// </summary>
    public static bool TryBuildCanonicalRequest(
        string method,
        string canonicalUri,
        string canonicalQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        IReadOnlyList<string> signedHeaders,
        string signedHeadersText,
        string payloadHash,
        out string canonicalRequest,
        out string? missingHeader)
    {
        var builder = new StringBuilder(256 + canonicalUri.Length + canonicalQuery.Length + (headers.Count * 48));
        builder.Append(method).Append('\n')
            .Append(canonicalUri).Append('\n')
            .Append(canonicalQuery).Append('\n');

        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':');
            var found = false;
            foreach (var (key, value) in headers)
            {
                if (!string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (found)
                {
                    builder.Append(',');
                }

                AppendTrimmedValue(builder, value);
                found = true;
            }

            if (!found)
            {
                canonicalRequest = string.Empty;
                missingHeader = name;
                return false;
            }

            builder.Append('\n');
        }

        builder.Append('\n').Append(signedHeadersText).Append('\n').Append(payloadHash);
        canonicalRequest = builder.ToString();
        missingHeader = null;
        return true;
    }

    public static string Scope(string date, string region, string service) =>
        string.Concat(date, "/", region, "/", service, "/", Terminator);

    public static string StringToSign(string amzDate, string scope, string canonicalRequest)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        WithUtf8(canonicalRequest, hash, static (bytes, h) => SHA256.HashData(bytes, h));
        return string.Concat(Algorithm, "\n", amzDate, "\n", scope, "\n", Convert.ToHexStringLower(hash));
    }

    /// <summary>HMAC chain "AWS4"+secret -> date -> region -> service -> "aws4_request".</summary>
    public static byte[] DeriveSigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Terminator));
    }

    /// <summary>The signature bytes: HMAC-SHA256 of the string to sign under the signing key.</summary>
    public static void Signature(SigningKey key, string stringToSign, Span<byte> mac) =>
        WithUtf8(stringToSign, mac, key.Mac);

    /// <summary>
    /// Whether <paramref name="given"/> is the lower-case hex of <paramref name="mac"/>. Its form is checked first (that
    /// depends only on what the client sent); the bytes are then compared in constant time.
    /// </summary>
    public static bool SignatureMatches(ReadOnlySpan<byte> mac, string given)
    {
        if (given.Length != mac.Length * 2)
        {
            return false;
        }

        foreach (var c in given)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        Span<byte> decoded = stackalloc byte[mac.Length];
        Convert.FromHexString(given, decoded, out _, out _);
        return CryptographicOperations.FixedTimeEquals(mac, decoded);
    }

    /// <summary>Runs <paramref name="action"/> over the UTF-8 bytes of <paramref name="text"/> without allocating them.</summary>
    private static void WithUtf8(string text, Span<byte> output, Utf8Action action)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = max <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            action(buffer[..length], output);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private delegate void Utf8Action(ReadOnlySpan<byte> bytes, Span<byte> output);

    /// <summary>RFC 3986 encoding of UTF-8 bytes: unreserved characters (and '/' when asked) stay, the rest is %XX upper-case.</summary>
    public static void UriEncode(StringBuilder builder, string value, bool keepSlash)
    {
        var needsWork = false;
        foreach (var c in value)
        {
            if (!IsUnreserved(c) && !(keepSlash && c == '/'))
            {
                needsWork = true;
                break;
            }
        }

        if (!needsWork)
        {
            builder.Append(value);
            return;
        }

        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsUnreserved(c) || (keepSlash && c == '/'))
            {
                builder.Append(c);
                continue;
            }

            int count;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                count = Encoding.UTF8.GetBytes(value.AsSpan(i, 2), utf8);
                i++;
            }
            else
            {
                count = Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            }

            for (var b = 0; b < count; b++)
            {
                builder.Append('%').Append(Hex[utf8[b] >> 4]).Append(Hex[utf8[b] & 0xF]);
            }
        }
    }

    private static bool IsUnreserved(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~';

    /// <summary>Header value with leading/trailing whitespace removed and inner runs (folded lines too) as one space.</summary>
    private static void AppendTrimmedValue(StringBuilder builder, string value)
    {
        var span = value.AsSpan().Trim(" \t\r\n");
        var inSpace = false;
        foreach (var c in span)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                inSpace = true;
                continue;
            }

            if (inSpace)
            {
                builder.Append(' ');
                inSpace = false;
            }

            builder.Append(c);
        }
    }
}
