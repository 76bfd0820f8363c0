using System.Net;
using System.Text;
using System.Text.Json;
using Cairn.Server.Aws.SigV4;
using Cairn.Server.Hosting;

namespace Cairn.Server.Tests.SigV4;

/// <summary>A real server on a loopback port, real HTTP: signatures made by the signer pass, anything else fails.</summary>
public sealed class SigV4EndToEndTests : IAsyncLifetime, IDisposable
{
    private const string AccessKeyId = "AKIAE2ETESTROOT00001";
    private const string SecretAccessKey = "e2e-root-secret-0123456789abcdefghijklmnop";
    private const string ProbeTarget = "CairnSigV4Probe_20240101.Probe";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "cairn-sigv4-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new();
    private CairnServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await CairnServer.StartAsync(new CairnServerOptions
        {
            DataDirectory = _dataDirectory,
            Port = 0,
            RootAccessKeyId = AccessKeyId,
            RootSecretAccessKey = SecretAccessKey,
        });
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Correctly_signed_JSON_request_gets_past_authentication()
    {
        // No service has this target: once the signature checks out, the only thing left to fail is the operation lookup.
        var (status, type) = await SendJsonAsync(new SigV4Signer(AccessKeyId, SecretAccessKey, "us-east-1", "ssm"), ProbeTarget);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UnknownOperationException", type);
    }

    [Fact]
    public async Task Correctly_signed_GetParameter_reaches_the_operation()
    {
        var (_, type) = await SendJsonAsync(new SigV4Signer(AccessKeyId, SecretAccessKey, "us-east-1", "ssm"));
        // UnknownOperationException without an SSM module, ParameterNotFound with one: either way, not an auth error.
        Assert.Contains(type, new[] { "UnknownOperationException", "ParameterNotFound" });
    }

    [Fact]
    public async Task Request_to_an_unknown_target_with_a_wrong_secret_gets_InvalidSignatureException()
    {
        var (_, type) = await SendJsonAsync(new SigV4Signer(AccessKeyId, "wrong-secret", "us-east-1", "ssm"), ProbeTarget);
        Assert.Equal("InvalidSignatureException", type);
    }

    [Fact]
    public async Task JSON_request_signed_with_a_wrong_secret_gets_InvalidSignatureException()
    {
        var (status, type) = await SendJsonAsync(new SigV4Signer(AccessKeyId, "wrong-secret", "us-east-1", "ssm"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidSignatureException", type);
    }

    [Fact]
    public async Task JSON_request_with_an_unknown_key_gets_UnrecognizedClientException()
    {
        var (_, type) = await SendJsonAsync(new SigV4Signer("AKIAUNKNOWNKEY000000", SecretAccessKey, "us-east-1", "ssm"));
        Assert.Equal("UnrecognizedClientException", type);
    }

    [Fact]
    public async Task Unsigned_JSON_request_gets_MissingAuthenticationTokenException()
    {
        var (_, type) = await SendJsonAsync(signer: null);
        Assert.Equal("MissingAuthenticationTokenException", type);
    }

    [Fact]
    public async Task JSON_request_signed_ten_minutes_ago_gets_signature_expired()
    {
        using var message = JsonMessage();
        new SigV4Signer(AccessKeyId, SecretAccessKey, "us-east-1", "ssm").Sign(message, Body, DateTimeOffset.UtcNow.AddMinutes(-10));
        using var response = await _http.SendAsync(message);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("InvalidSignatureException", json.RootElement.GetProperty("__type").GetString());
        Assert.StartsWith("Signature expired: ", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_request_signed_with_a_wrong_secret_gets_SignatureDoesNotMatch_in_XML()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, _server.Endpoint)
        {
            Content = new StringContent("Action=GetCallerIdentity&Version=2011-06-15", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        await new SigV4Signer(AccessKeyId, "wrong-secret", "us-east-1", "sts").SignAsync(message, DateTimeOffset.UtcNow, default);
        using var response = await _http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Presigned_Query_url_gets_past_authentication()
    {
        var url = new SigV4Signer(AccessKeyId, SecretAccessKey, "us-east-1", "sts")
            .Presign(HttpMethod.Get, new Uri(_server.Endpoint, "/?Action=GetCallerIdentity&Version=2011-06-15"), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        using var response = await _http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        // Without an STS module the service lookup fails after authentication; with one, the call succeeds.
        Assert.DoesNotContain("Signature", body, StringComparison.Ordinal);
        Assert.DoesNotContain("MissingAuthenticationToken", body, StringComparison.Ordinal);
        Assert.True(response.IsSuccessStatusCode || body.Contains("UnknownOperation", StringComparison.Ordinal), body);
    }

    private static byte[] Body => """{"Name":"x"}"""u8.ToArray();

    private HttpRequestMessage JsonMessage(string target = "AmazonSSM.GetParameter")
    {
        var message = new HttpRequestMessage(HttpMethod.Post, _server.Endpoint) { Content = new ByteArrayContent(Body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return message;
    }

    private async Task<(HttpStatusCode Status, string? Type)> SendJsonAsync(SigV4Signer? signer, string target = "AmazonSSM.GetParameter")
    {
        using var message = JsonMessage(target);
        signer?.Sign(message, Body, DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(message);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.GetProperty("__type").GetString());
    }
}
