using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Cairn.Runner.Tests.Kubernetes;

/// <summary>
/// The Kubernetes OpenAPI schema of the kinds the fake serves. Properties and types come from KubernetesClient 21.0.8's
/// k8s.Models, generated from the Kubernetes OpenAPI document (one property per schema property, its JsonPropertyName the
/// field, its CLR type the schema's type); the models carry no "required", so those lists are kept in
/// kubernetes-required-fields.json, copied from kubernetes/kubernetes api/openapi-spec/v3/apis__batch__v1_openapi.json
/// (the 500 KB document itself is not vendored). Checks a body as the API server does with fieldValidation=Strict:
/// unknown fields and wrong types (400 BadRequest, "strict decoding error"), missing required fields (422 Invalid).
/// </summary>
internal static class KubernetesSchema
{
    private static readonly Dictionary<string, string[]> Required = LoadRequired();

    /// <summary>The problems with <paramref name="body"/> as a <paramref name="model"/>: unknown or mistyped fields, then (unless a patch) missing required ones.</summary>
    public static (List<string> Decoding, List<string> Required) Check(JsonNode body, Type model, bool patch)
    {
        var decoding = new List<string>();
        var required = new List<string>();
        Walk(body, model, "", decoding, patch ? null : required);
        return (decoding, required);
    }

    /// <summary>The schema's required properties of <paramref name="model"/> (JSON names): the non-nullable ones.</summary>
    public static IReadOnlyList<string> RequiredOf(Type model) =>
        Required.TryGetValue(Definition(model), out var names) ? names : [];

    /// <summary>The OpenAPI definition's short name for a model: V1JobSpec is "v1.JobSpec".</summary>
    private static string Definition(Type model) =>
        model.Name.StartsWith("V1", StringComparison.Ordinal) ? "v1." + model.Name[2..] : model.Name;

    private static Dictionary<string, string[]> LoadRequired()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Kubernetes", "kubernetes-required-fields.json");
        var document = JsonNode.Parse(File.ReadAllText(file))!["required"]!.AsObject();
        // "io.k8s.api.batch.v1.JobSpec" is "v1.JobSpec": the last two segments name the model in k8s.Models.
        return document.ToDictionary(
            d => string.Join('.', d.Key.Split('.')[^2..]),
            d => d.Value!.AsArray().Select(n => n!.GetValue<string>()).ToArray(),
            StringComparer.Ordinal);
    }

    private static Dictionary<string, PropertyInfo> Properties(Type model) =>
        model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name, StringComparer.Ordinal);

    private static void Walk(JsonNode? node, Type type, string path, List<string> decoding, List<string>? required)
    {
        if (node is null)
        {
            return;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        var kind = node.GetValueKind();
        if (type == typeof(string) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(byte[]))
        {
            Expect(kind == JsonValueKind.String, "string", kind, path, decoding);
        }
        else if (type == typeof(bool))
        {
            Expect(kind is JsonValueKind.True or JsonValueKind.False, "boolean", kind, path, decoding);
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            Expect(kind == JsonValueKind.Number && node.AsValue().TryGetValue<long>(out _), "integer", kind, path, decoding);
        }
        else if (type == typeof(double) || type == typeof(float))
        {
            Expect(kind == JsonValueKind.Number, "number", kind, path, decoding);
        }
        else if (type.Name is "IntOrString" or "ResourceQuantity")
        {
            Expect(kind is JsonValueKind.String or JsonValueKind.Number, "string or integer", kind, path, decoding);
        }
        else if (type == typeof(object) || type == typeof(JsonElement))
        {
            // x-kubernetes-preserve-unknown-fields: anything goes.
        }
        else if (Dictionary(type) is { } values)
        {
            if (Expect(kind == JsonValueKind.Object, "object", kind, path, decoding))
            {
                foreach (var (key, value) in node.AsObject())
                {
                    Walk(value, values, $"{path}[{key}]", decoding, required);
                }
            }
        }
        else if (Element(type) is { } element)
        {
            if (Expect(kind == JsonValueKind.Array, "array", kind, path, decoding))
            {
                var items = node.AsArray();
                for (var i = 0; i < items.Count; i++)
                {
                    Walk(items[i], element, $"{path}[{i}]", decoding, required);
                }
            }
        }
        else if (type.Namespace == "k8s.Models" && Expect(kind == JsonValueKind.Object, "object", kind, path, decoding))
        {
            var properties = Properties(type);
            var body = node.AsObject();
            foreach (var (name, value) in body)
            {
                var at = path.Length == 0 ? name : $"{path}.{name}";
                if (properties.TryGetValue(name, out var property))
                {
                    Walk(value, property.PropertyType, at, decoding, required);
                }
                else
                {
                    decoding.Add($"unknown field \"{at}\"");
                }
            }

            if (required is not null)
            {
                foreach (var name in RequiredOf(type))
                {
                    if (!body.ContainsKey(name))
                    {
                        required.Add($"{(path.Length == 0 ? name : $"{path}.{name}")}: Required value");
                    }
                }
            }
        }
    }

    private static bool Expect(bool ok, string wanted, JsonValueKind kind, string path, List<string> decoding)
    {
        if (!ok)
        {
            decoding.Add($"{path}: expected {wanted}, got {kind.ToString().ToLowerInvariant()}");
        }

        return ok;
    }

    private static Type? Dictionary(Type type) =>
        type.IsGenericType && Interfaces(type).FirstOrDefault(i => i.GetGenericTypeDefinition() == typeof(IDictionary<,>)) is { } map ? map.GetGenericArguments()[1] : null;

    private static Type? Element(Type type) =>
        type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType
            ? Interfaces(type).FirstOrDefault(i => i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0]
            : null;

    private static IEnumerable<Type> Interfaces(Type type) =>
        (type.IsInterface ? [type] : Array.Empty<Type>()).Concat(type.GetInterfaces()).Where(i => i.IsGenericType);
}
