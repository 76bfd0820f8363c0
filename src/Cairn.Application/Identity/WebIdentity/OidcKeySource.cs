using System.Collections.Concurrent;
using System.Text.Json;
using Cairn.Core.Errors;
using Cairn.Core.Identity.WebIdentity;

namespace Cairn.Application.Identity.WebIdentity;

/// <summary>
/// An issuer's signing keys, as AssumeRoleWithWebIdentity needs them: <c>{issuer}/.well-known/openid-configuration</c>'s
/// <c>jwks_uri</c>, fetched and kept for <see cref="CacheFor"/>; fetched again sooner when a token names a kid the cached
/// set lacks (the issuer rotated its keys), at most once per <see cref="RefetchAfter"/>. Both URLs must be https, or
/// http on a loopback host (Cairn's tests; AWS allows https only). Failures are IDPCommunicationError.
/// </summary>
public sealed class OidcKeySource(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan RefetchAfter = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (JsonWebKeys Keys, DateTimeOffset FetchedAt)> _cache = new(StringComparer.Ordinal);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The issuer's keys, holding the one <paramref name="token"/> names when the issuer publishes it.</summary>
    public async Task<JsonWebKeys> KeysForAsync(string issuer, WebIdentityToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(issuer, out var cached)
            && now - cached.FetchedAt < CacheFor
            && (cached.Keys.HasKeyFor(token) || now - cached.FetchedAt < RefetchAfter))
        {
            return cached.Keys;
        }

        var keys = await FetchAsync(issuer, cancellationToken);
        _cache[issuer] = (keys, now);
        return keys;
    }

    private async Task<JsonWebKeys> FetchAsync(string issuer, CancellationToken cancellationToken)
    {
        var configurationUrl = issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        var configuration = await GetAsync(issuer, configurationUrl, cancellationToken);
        string jwksUri;
        try
        {
            using var document = JsonDocument.Parse(configuration);
            jwksUri = document.RootElement.TryGetProperty("jwks_uri", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw AwsErrors.IdpCommunicationError(issuer, $"{configurationUrl} has no jwks_uri");
        }
        catch (JsonException)
        {
            throw AwsErrors.IdpCommunicationError(issuer, $"{configurationUrl} is not JSON");
        }

        var jwks = await GetAsync(issuer, jwksUri, cancellationToken);
        try
        {
            return JsonWebKeys.Parse(jwks);
        }
        catch (Exception error) when (error is JsonException or FormatException)
        {
            throw AwsErrors.IdpCommunicationError(issuer, $"{jwksUri} is not a JSON Web Key Set ({error.Message})");
        }
    }

    private async Task<string> GetAsync(string issuer, string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && OidcProviderRules.IsLoopback(uri))))
        {
            throw AwsErrors.IdpCommunicationError(issuer, $"{url} is not an https URL (plain http is allowed only on a loopback host)");
        }

        try
        {
            using var response = await _http.GetAsync(uri, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw AwsErrors.IdpCommunicationError(issuer, $"GET {url} answered HTTP {(int)response.StatusCode}");
            }

            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException error)
        {
            throw AwsErrors.IdpCommunicationError(issuer, $"GET {url} failed: {error.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw AwsErrors.IdpCommunicationError(issuer, $"GET {url} timed out after {_http.Timeout.TotalSeconds:0} s");
        }
    }

    public void Dispose() => _http.Dispose();
}
