using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Cairn.Core.Errors;

namespace Cairn.Core.Identity.WebIdentity;

/// <summary>
/// An issuer's JSON Web Key Set (RFC 7517) and the check of a token's signature against it: RS256 (RSA PKCS#1 v1.5 with
/// SHA-256) and ES256 (ECDSA P-256 with SHA-256). Other algorithms, <c>none</c> among them, are refused.
/// </summary>
public sealed class JsonWebKeys
{
    private readonly List<Key> _keys;

    private JsonWebKeys(List<Key> keys) => _keys = keys;

    public IReadOnlyList<string> KeyIds => _keys.Select(k => k.Id ?? "(no kid)").ToList();

    /// <summary>Parses a JWKS document; keys of types Cairn cannot use are skipped. FormatException when it is not a key set.</summary>
    public static JsonWebKeys Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the document has no \"keys\" array");
        }

        var parsed = new List<Key>();
        foreach (var key in keys.EnumerateArray())
        {
            var kty = Member(key, "kty");
            var kid = Member(key, "kid");
            if (Member(key, "use") is { } use && use != "sig")
            {
                continue;
            }

            if (kty == "RSA" && Member(key, "n") is { } n && Member(key, "e") is { } e)
            {
                parsed.Add(new Key(kid, "RS256", Base64Url.DecodeFromChars(n), Base64Url.DecodeFromChars(e)));
            }
            else if (kty == "EC" && Member(key, "crv") == "P-256" && Member(key, "x") is { } x && Member(key, "y") is { } y)
            {
                parsed.Add(new Key(kid, "ES256", Base64Url.DecodeFromChars(x), Base64Url.DecodeFromChars(y)));
            }
        }

        return new JsonWebKeys(parsed);
    }

    /// <summary>Whether the set has the key the token names (by kid; without one, any key of its algorithm).</summary>
    public bool HasKeyFor(WebIdentityToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Candidates(token).Any();
    }

    /// <summary>Verifies the token's signature; InvalidIdentityToken naming the algorithm or the key when it fails.</summary>
    public void Verify(WebIdentityToken token, string issuer)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Algorithm is not ("RS256" or "ES256"))
        {
            throw AwsErrors.InvalidIdentityToken(
                $"The web identity token is signed with {token.Algorithm}; STS accepts RS256 and ES256 tokens only.");
        }

        var candidates = Candidates(token).ToList();
        if (candidates.Count == 0)
        {
            throw AwsErrors.InvalidIdentityToken(
                $"The web identity token's signing key (kid {token.KeyId ?? "not given"}, {token.Algorithm}) is not among the keys {issuer} publishes "
                + $"(kids: {string.Join(", ", KeyIds)}). Check that the token comes from this issuer; a rotated key appears once the issuer publishes it.");
        }

        if (!candidates.Any(key => key.Verifies(token)))
        {
            throw AwsErrors.InvalidIdentityToken(
                $"The web identity token's signature does not verify with key {token.KeyId ?? "(no kid)"} of {issuer}: the token was altered or signed with another key.");
        }
    }

    private IEnumerable<Key> Candidates(WebIdentityToken token) =>
        _keys.Where(k => k.Algorithm == token.Algorithm && (token.KeyId is null || string.Equals(k.Id, token.KeyId, StringComparison.Ordinal)));

    private static string? Member(JsonElement key, string name) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>RSA: First is the modulus, Second the exponent. EC: the point's x and y.</summary>
    private sealed record Key(string? Id, string Algorithm, byte[] First, byte[] Second)
    {
        public bool Verifies(WebIdentityToken token)
        {
            try
            {
                if (Algorithm == "RS256")
                {
                    using var rsa = RSA.Create(new RSAParameters { Modulus = First, Exponent = Second });
                    return rsa.VerifyData(token.SignedBytes, token.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }

                using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = First, Y = Second } });
                return ecdsa.VerifyData(token.SignedBytes, token.Signature, HashAlgorithmName.SHA256);
            }
            catch (CryptographicException)
            {
                return false;
            }
        }
    }
}
