using System.Net.Http.Headers;
using System.Text;
using Cairn.Server.Aws.SigV4;
using Cairn.Server.Hosting;

namespace Cairn.Server.Tests.Wire;

/// <summary>A real server on a loopback port for raw-HTTP tests of hostile input: what no AWS client would send.</summary>
public sealed class WireServer : IAsyncLifetime, IDisposable
{
    public const string AccessKeyId = "AKIAWIRETESTROOT0001";
    public const string SecretAccessKey = "wire-root-secret-0123456789abcdefghijklmnop";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "cairn-wire-" + Guid.NewGuid().ToString("N"));

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public CairnServer Server { get; private set; } = null!;

    public Uri Endpoint => Server.Endpoint;

    public async Task InitializeAsync() =>
        Server = await CairnServer.StartAsync(new CairnServerOptions
        {
            DataDirectory = _dataDirectory,
            Port = 0,
            RootAccessKeyId = AccessKeyId,
            RootSecretAccessKey = SecretAccessKey,
        });

    public void Dispose() => Http.Dispose();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>A JSON 1.1 request with the raw body bytes given, signed for <paramref name="service"/> in <paramref name="region"/>.</summary>
    public HttpRequestMessage Json(string target, byte[] body) =>
        new(HttpMethod.Post, Endpoint)
        {
            Content = new ByteArrayContent(body)
            {
                Headers = { ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1") },
            },
            Headers = { { "X-Amz-Target", target } },
        };

    /// <summary>A Query request with the form body given as already-encoded text.</summary>
    public HttpRequestMessage Form(string encodedForm) =>
        new(HttpMethod.Post, Endpoint)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(encodedForm))
            {
                Headers = { ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8") },
            },
        };

    public async Task<WireResponse> SendSignedAsync(HttpRequestMessage request, string service, string region = "us-east-1", string keyId = AccessKeyId, string secret = SecretAccessKey, string? token = null)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        new SigV4Signer(keyId, secret, region, service, token).Sign(request, body, DateTimeOffset.UtcNow);
        return await SendAsync(request);
    }

    public async Task<WireResponse> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await Http.SendAsync(request);
            return new WireResponse(response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}
