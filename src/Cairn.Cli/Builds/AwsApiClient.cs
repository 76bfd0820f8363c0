using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Cli.Builds;

/// <summary>
/// A small AWS client for what `cairn build` needs: JSON 1.1 calls (SSM, KMS) and Query calls (STS), signed with
/// SigV4 so the server authenticates and authorizes them as it would any SDK's.
/// </summary>
internal sealed class AwsApiClient(HttpClient http, Uri endpoint, AwsCredentials credentials, string region)
{
    private readonly Dictionary<string, SigV4Signer> _signers = new(StringComparer.Ordinal);

    public AwsCredentials Credentials => credentials;

    public string Region => region;

    /// <param name="path">A path on the server instead of its root: Cairn's own endpoints such as /_cairn/agents/admin.</param>
    public async Task<JsonObject> JsonAsync(string service, string target, JsonObject body, CancellationToken cancellationToken, string? path = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, path is null ? endpoint : new Uri(endpoint, path)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        Signer(service).Sign(request, bytes, DateTimeOffset.UtcNow);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var json = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject();
        if (response.IsSuccessStatusCode)
        {
            return json;
        }

        var type = (string?)json["__type"] ?? $"HTTP{(int)response.StatusCode}";
        var message = (string?)json["message"] ?? (string?)json["Message"] ?? text;
        throw new AwsApiException(type[(type.LastIndexOf('#') + 1)..], message, (int)response.StatusCode);
    }

    /// <param name="path">A path on the server instead of its root: Cairn's own endpoints such as /_cairn/build-role.</param>
    public async Task<XElement> QueryAsync(string service, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken, string? path = null)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, path is null ? endpoint : new Uri(endpoint, path)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        Signer(service).Sign(request, bytes, DateTimeOffset.UtcNow);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        XElement root;
        try
        {
            root = XElement.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            throw new AwsApiException($"HTTP{(int)response.StatusCode}", text.Length > 200 ? text[..200] : text, (int)response.StatusCode);
        }

        if (response.IsSuccessStatusCode)
        {
            return root;
        }

        var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
        string? Field(string name) => error?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        throw new AwsApiException(Field("Code") ?? $"HTTP{(int)response.StatusCode}", Field("Message") ?? text, (int)response.StatusCode);
    }

    private SigV4Signer Signer(string service)
    {
        if (!_signers.TryGetValue(service, out var signer))
        {
            signer = new SigV4Signer(credentials.AccessKeyId, credentials.SecretAccessKey, region, service, credentials.SessionToken);
            _signers[service] = signer;
        }

        return signer;
    }
}
