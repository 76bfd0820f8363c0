using System.Net;

namespace Cairn.Server.Tests.Wire;

/// <summary>What the server answered: status and body, with the AWS error code and message read from either protocol.</summary>
public sealed record WireResponse(HttpStatusCode Status, string Body)
{
    /// <summary>JSON's <c>__type</c> or Query's <c>&lt;Code&gt;</c>.</summary>
    public string? Code =>
        Body.StartsWith('{')
            ? System.Text.Json.JsonDocument.Parse(Body).RootElement.TryGetProperty("__type", out var type) ? type.GetString() : null
            : System.Xml.Linq.XDocument.Parse(Body).Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;

    public string Message =>
        Body.StartsWith('{')
            ? System.Text.Json.JsonDocument.Parse(Body).RootElement.EnumerateObject().FirstOrDefault(p => p.Name is "message" or "Message").Value.ToString()
            : System.Xml.Linq.XDocument.Parse(Body).Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? string.Empty;
}
