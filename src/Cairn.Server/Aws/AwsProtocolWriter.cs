using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Cairn.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Aws;

/// <summary>The only place AWS responses and errors become bytes.</summary>
internal static class AwsProtocolWriter
{
    public const string JsonContentType = "application/x-amz-json-1.1";

    // Error shapes whose member is "Message" rather than "message" (botocore's models).
    private static readonly HashSet<string> CapitalMessageCodes = new(StringComparer.Ordinal)
    {
        "InternalServerError", "InvalidNextToken", "InvalidFilterValue", "TooManyUpdates", "ThrottlingException", "ValidationException",
    };

    public static Task WriteJsonAsync(HttpResponse response, JsonObject body, CancellationToken cancellationToken)
    {
        response.StatusCode = 200;
        response.ContentType = JsonContentType;
        return WriteBodyAsync(response, JsonBytes(body), cancellationToken);
    }

    public static Task WriteJsonErrorAsync(HttpResponse response, AwsException error, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["__type"] = error.Code,
            [CapitalMessageCodes.Contains(error.Code) ? "Message" : "message"] = WireText.ForJson(error.Message),
        };
        response.StatusCode = error.HttpStatus;
        response.ContentType = JsonContentType;
        response.Headers["x-amzn-ErrorType"] = error.Code;
        return WriteBodyAsync(response, JsonBytes(body), cancellationToken);
    }

    public static Task WriteQueryAsync(HttpResponse response, string action, string xmlNamespace, XElement? result, string requestId, CancellationToken cancellationToken)
    {
        XNamespace ns = xmlNamespace;
        var root = new XElement(ns + $"{action}Response");
        if (result is not null)
        {
            root.Add(WithNamespace(result, ns));
        }

        root.Add(new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", requestId)));
        return WriteXmlAsync(response, 200, root, cancellationToken);
    }

    public static Task WriteQueryErrorAsync(HttpResponse response, string xmlNamespace, AwsException error, string requestId, CancellationToken cancellationToken)
    {
        XNamespace ns = xmlNamespace;
        var root = new XElement(ns + "ErrorResponse",
            new XElement(ns + "Error",
                new XElement(ns + "Type", error.IsSender ? "Sender" : "Receiver"),
                new XElement(ns + "Code", error.Code),
                new XElement(ns + "Message", error.Message)),
            new XElement(ns + "RequestId", requestId));
        return WriteXmlAsync(response, error.HttpStatus, root, cancellationToken);
    }

    private static Task WriteXmlAsync(HttpResponse response, int status, XElement root, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "text/xml";
        CleanForXml(root);
        var bytes = Encoding.UTF8.GetBytes(root.ToString(SaveOptions.DisableFormatting));
        return WriteBodyAsync(response, bytes, cancellationToken);
    }

    /// <summary>Any value may reach a response (stored before validation existed, or echoed in an error): never let one throw.</summary>
    private static void CleanForXml(XElement root)
    {
        foreach (var node in root.DescendantNodesAndSelf())
        {
            if (node is XText text && !WireText.IsXmlSafe(text.Value))
            {
                text.Value = WireText.ForXml(text.Value);
            }
            else if (node is XElement element)
            {
                foreach (var attribute in element.Attributes())
                {
                    if (!WireText.IsXmlSafe(attribute.Value))
                    {
                        attribute.Value = WireText.ForXml(attribute.Value);
                    }
                }
            }
        }
    }

    /// <summary>Serializes a response; a string with a lone surrogate is written with U+FFFD in its place instead of failing.</summary>
    private static byte[] JsonBytes(JsonNode body)
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(body);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            return JsonSerializer.SerializeToUtf8Bytes(CleanForJson(body));
        }
    }

    private static JsonNode? CleanForJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(WireText.ForJson(p.Key), CleanForJson(p.Value)))),
        JsonArray array => new JsonArray(array.Select(CleanForJson).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(WireText.ForJson(text)),
        _ => node.DeepClone(),
    };

    /// <summary>With Content-Length set, Kestrel sends headers and body together instead of chunk by chunk.</summary>
    private static Task WriteBodyAsync(HttpResponse response, byte[] bytes, CancellationToken cancellationToken)
    {
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, cancellationToken).AsTask();
    }

    /// <summary>Services build results without a namespace; responses need it on every element.</summary>
    private static XElement WithNamespace(XElement element, XNamespace ns)
    {
        foreach (var e in element.DescendantsAndSelf())
        {
            if (e.Name.Namespace == XNamespace.None)
            {
                e.Name = ns + e.Name.LocalName;
            }
        }

        return element;
    }
}
