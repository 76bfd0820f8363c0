using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Cairn.Core.Errors;

namespace Cairn.Core.Identity.WebIdentity;

/// <summary>
/// An OpenID Connect ID token (a JWS in compact form) as AssumeRoleWithWebIdentity reads it: the header's alg and kid,
/// the claims STS checks, and the bytes the signature covers. Parsing checks the form only; the signature is
/// <see cref="JsonWebKeys"/>'s to verify and the claims the caller's to judge.
/// </summary>
public sealed record WebIdentityToken(
    string Algorithm,
    string? KeyId,
    string Issuer,
    IReadOnlyList<string> Audiences,
    string Subject,
    IReadOnlyList<string> AuthenticationMethods,
    DateTimeOffset? Expiration,
    DateTimeOffset? NotBefore,
    DateTimeOffset? IssuedAt,
    string? SourceIdentity,
    byte[] SignedBytes,
    byte[] Signature)
{
    /// <summary>The claim a token names its AWS source identity with.</summary>
    public const string SourceIdentityClaim = "https://aws.amazon.com/source_identity";

    /// <summary>Parses a compact JWS; InvalidIdentityToken saying what is wrong with its form.</summary>
    public static WebIdentityToken Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw AwsErrors.InvalidIdentityToken(
                $"The web identity token is not a signed JWT: it has {parts.Length} dot-separated part(s), a JWT has three (header.payload.signature).");
        }

        using var header = Json(parts[0], "header");
        using var payload = Json(parts[1], "payload");
        var root = payload.RootElement;
        var algorithm = String(header.RootElement, "alg") ?? throw AwsErrors.InvalidIdentityToken("The web identity token's header has no alg.");
        return new WebIdentityToken(
            algorithm,
            String(header.RootElement, "kid"),
            String(root, "iss") ?? throw AwsErrors.InvalidIdentityToken("The web identity token has no iss (issuer) claim."),
            Strings(root, "aud"),
            String(root, "sub") ?? throw AwsErrors.InvalidIdentityToken("The web identity token has no sub (subject) claim."),
            Strings(root, "amr"),
            Time(root, "exp"),
            Time(root, "nbf"),
            Time(root, "iat"),
            String(root, SourceIdentityClaim),
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]),
            Decode(parts[2], "signature"));
    }

    private static byte[] Decode(string part, string what)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            throw AwsErrors.InvalidIdentityToken($"The web identity token's {what} is not base64url.");
        }
    }

    private static JsonDocument Json(string part, string what)
    {
        try
        {
            var document = JsonDocument.Parse(Decode(part, what));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw AwsErrors.InvalidIdentityToken($"The web identity token's {what} is not a JSON object.");
            }

            return document;
        }
        catch (JsonException)
        {
            throw AwsErrors.InvalidIdentityToken($"The web identity token's {what} is not JSON.");
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A claim that may be one string or an array of strings (aud, amr).</summary>
    private static List<string> Strings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList(),
            _ => throw AwsErrors.InvalidIdentityToken($"The web identity token's {name} claim is neither a string nor an array of strings."),
        };
    }

    private static DateTimeOffset? Time(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || seconds is < 0 or > 253402300799)
        {
            throw AwsErrors.InvalidIdentityToken($"The web identity token's {name} claim is not a NumericDate (seconds since 1970).");
        }

        return DateTimeOffset.FromUnixTimeSeconds((long)seconds);
    }
}
