using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cairn.Compat.Tests.Iam;

/// <summary>
/// A test-local OpenID Connect issuer on 127.0.0.1: serves <c>/.well-known/openid-configuration</c> and its JWKS (an RSA
/// key <c>rsa-1</c> and a P-256 key <c>ec-1</c>) and signs ID tokens with them, as GitHub Actions' or a Kubernetes
/// cluster's issuer would.
/// </summary>
public sealed class TestOidcIssuer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestOidcIssuer()
    {
        Url = $"http://127.0.0.1:{FreePort()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _ = ServeAsync();
    }

    /// <summary>The issuer URL: what tokens carry as iss and what the OIDC provider is created with.</summary>
    public string Url { get; }

    /// <summary>The provider id in ARNs and condition keys: the URL without its scheme.</summary>
    public string ProviderId => Url["http://".Length..];

    /// <summary>How many times the JWKS was fetched.</summary>
    public int JwksFetches { get; private set; }

    /// <summary>A URL on 127.0.0.1 where nothing listens: an issuer that cannot be reached.</summary>
    public static string Unreachable => $"http://127.0.0.1:{FreePort()}";

    /// <summary>A token with the usual claims (iss, aud, sub, iat, nbf, exp in 5 minutes) and <paramref name="changes"/> on top (null removes a claim).</summary>
    public string Token(
        string audience, string subject, string alg = "RS256", string? kid = null, IReadOnlyDictionary<string, object?>? changes = null,
        AsymmetricAlgorithm? signWith = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = Url, ["aud"] = audience, ["sub"] = subject, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 300, ["amr"] = new[] { "pwd" },
        };
        foreach (var (key, value) in changes ?? new Dictionary<string, object?>())
        {
            if (value is null)
            {
                claims.Remove(key);
            }
            else
            {
                claims[key] = value;
            }
        }

        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid ?? (alg == "ES256" ? "ec-1" : "rsa-1") }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signed = Encoding.ASCII.GetBytes(header + "." + payload);
        var signature = (signWith ?? (alg == "ES256" ? _ec : _rsa)) switch
        {
            RSA rsa => rsa.SignData(signed, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => ec.SignData(signed, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDsa", nameof(signWith)),
        };
        return header + "." + payload + "." + (alg == "none" ? string.Empty : Encode(signature));
    }

    public void Dispose()
    {
        _listener.Close();
        _rsa.Dispose();
        _ec.Dispose();
    }

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private string Jwks()
    {
        var rsa = _rsa.ExportParameters(false);
        var ec = _ec.ExportParameters(false);
        return JsonSerializer.Serialize(new
        {
            keys = new object[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = "rsa-1", n = Encode(rsa.Modulus!), e = Encode(rsa.Exponent!) },
                new { kty = "EC", use = "sig", alg = "ES256", kid = "ec-1", crv = "P-256", x = Encode(ec.Q.X!), y = Encode(ec.Q.Y!) },
            },
        });
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            string? body = path switch
            {
                "/.well-known/openid-configuration" => JsonSerializer.Serialize(new { issuer = Url, jwks_uri = Url + "/jwks", id_token_signing_alg_values_supported = new[] { "RS256", "ES256" } }),
                "/jwks" => Jwks(),
                _ => null,
            };
            if (path == "/jwks")
            {
                JwksFetches++;
            }

            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body ?? "{}");
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
