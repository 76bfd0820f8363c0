using System.Text;
using System.Text.Json.Nodes;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Bench.CodeBuild;

/// <summary>SigV4-signed AWS JSON 1.1 and Query calls to one Cairn endpoint, as the aws CLI makes them.</summary>
internal sealed class AwsJsonClient(HttpClient http, Uri endpoint, string accessKeyId, string secretAccessKey, string region = "us-east-1")
{
    /// <param name="path">Where on the endpoint (Cairn's own JSON APIs, e.g. /_cairn/agents/admin); AWS's services are at /.</param>
    public async Task<JsonObject> JsonAsync(string service, string target, JsonObject body, CancellationToken cancellationToken, string path = "/")
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        new SigV4Signer(accessKeyId, secretAccessKey, region, service).Sign(request, bytes, DateTimeOffset.UtcNow);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? (JsonObject)JsonNode.Parse(text)!
            : throw new InvalidOperationException($"{target} answered {(int)response.StatusCode}: {text}");
    }

    public async Task QueryAsync(string service, IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        new SigV4Signer(accessKeyId, secretAccessKey, region, service).Sign(request, bytes, DateTimeOffset.UtcNow);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{service} {form["Action"]} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>Opens the build's live log (what `cairn logs --follow` reads).</summary>
    public async Task<HttpResponseMessage> FollowLogAsync(string buildId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, $"/_cairn/builds/{Uri.EscapeDataString(buildId)}/log?follow=true"));
        new SigV4Signer(accessKeyId, secretAccessKey, region, "logs").Sign(request, [], DateTimeOffset.UtcNow);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
