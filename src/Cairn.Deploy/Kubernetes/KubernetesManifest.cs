using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Deploy.Kubernetes;

/// <summary>
/// One object of a manifest file: where it came from (file and document number, for messages), what it is
/// (apiVersion, kind, name, namespace as written) and its body as JSON, ready for a server-side apply.
/// </summary>
public sealed record ManifestObject(string File, int Document, string ApiVersion, string Kind, string Name, string? Namespace, JsonObject Body)
{
    /// <summary>The API group (empty for the core group "v1") and version of <see cref="ApiVersion"/>.</summary>
    public (string Group, string Version) GroupVersion => ApiVersion.Contains('/', StringComparison.Ordinal)
        ? (ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)], ApiVersion[(ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..])
        : (string.Empty, ApiVersion);

    /// <summary>How messages name it: <c>Deployment/web</c>.</summary>
    public string Describe => $"{Kind}/{Name}";

    /// <summary>Where it is written: <c>k8s/deployment.yaml (document 2)</c>.</summary>
    public string Where => $"{File} (document {Document})";
}

/// <summary>
/// Reads Kubernetes manifests as kubectl does: multi-document YAML (documents separated by <c>---</c>, empty ones
/// skipped, a <c>List</c> kind unwrapped into its items), each object needing apiVersion, kind and metadata.name.
/// Scalars are typed by the YAML 1.2 core schema (plain <c>3</c> is a number, <c>"3"</c> a string). A mistake is
/// KubernetesManifestInvalid naming the file, the document and the line.
/// </summary>
public static partial class KubernetesManifest
{
    public static IReadOnlyList<ManifestObject> Parse(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            throw AwsErrors.KubernetesManifestInvalid(file, $"it is not valid YAML at line {error.Start.Line}, column {error.Start.Column}: {Inner(error).Message}");
        }

        var objects = new List<ManifestObject>();
        var number = 0;
        foreach (var document in stream.Documents)
        {
            number++;
            if (document.RootNode is YamlScalarNode { Value: null or "" } || IsNull(document.RootNode))
            {
                continue;
            }

            if (document.RootNode is not YamlMappingNode)
            {
                throw AwsErrors.KubernetesManifestInvalid(file, $"document {number} (line {document.RootNode.Start.Line}) is not a mapping; each document is one object with apiVersion, kind and metadata");
            }

            var body = (JsonObject)ToJson(document.RootNode)!;
            if (Text(body, "kind") is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && body["items"] is JsonArray items)
            {
                foreach (var item in items)
                {
                    objects.Add(Object(file, number, document.RootNode.Start.Line, item as JsonObject
                        ?? throw AwsErrors.KubernetesManifestInvalid(file, $"document {number}: an item of the {kind} is not an object")));
                }

                continue;
            }

            objects.Add(Object(file, number, document.RootNode.Start.Line, body));
        }

        return objects;
    }

    private static ManifestObject Object(string file, int number, long line, JsonObject body)
    {
        string Required(string what, string? value) => value is { Length: > 0 }
            ? value
            : throw AwsErrors.KubernetesManifestInvalid(file, $"document {number} (line {line}) has no {what}; every object needs apiVersion, kind and metadata.name");

        var apiVersion = Required("apiVersion", Text(body, "apiVersion"));
        var kind = Required("kind", Text(body, "kind"));
        var metadata = body["metadata"] as JsonObject;
        var name = Required("metadata.name", metadata is null ? null : Text(metadata, "name"));
        if (!NameShape().IsMatch(name))
        {
            throw AwsErrors.KubernetesManifestInvalid(file, $"document {number} (line {line}): {kind} name '{name}' is not a valid Kubernetes name (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)");
        }

        return new ManifestObject(file, number, apiVersion, kind, name, metadata is null ? null : Text(metadata, "namespace"), body);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(p => KeyValuePair.Create(
            p.Key is YamlScalarNode key ? key.Value ?? string.Empty : throw new YamlException(p.Key.Start, p.Key.End, "a key that is not a plain value"), ToJson(p.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new YamlException(node.Start, node.End, "an alias or a node of an unknown kind"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return JsonValue.Create(value);
        }

        if (IsNull(scalar))
        {
            return null;
        }

        return value switch
        {
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when IntegerShape().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
            _ when FloatShape().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => JsonValue.Create(real),
            _ => JsonValue.Create(value),
        };
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static Exception Inner(Exception error) => error.InnerException is { } inner && error.Message.StartsWith('(') ? inner : error;

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerShape();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatShape();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex NameShape();
}
