using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;

namespace Cairn.Server.Aws.Validation;

/// <summary>
/// Checks a JSON input against its shape the way AWS does before an operation runs: a wrong JSON type is a
/// SerializationException (worded as AWS's JSON services word it, e.g. "NUMBER_VALUE cannot be converted to String"); every failed constraint is collected into one ValidationException worded
/// "N validation error(s) detected: Value 'x' at 'member' failed to satisfy constraint: ...; ...".
/// </summary>
internal static class InputValidator
{
    public static void Validate(JsonObject input, StructureShape shape) => Validate(input, shape, AwsErrors.Validation);

    /// <summary>
    /// As <see cref="Validate(JsonObject, StructureShape)"/>, for a service that answers failed constraints with another
    /// code than ValidationException (CloudWatch Logs: InvalidParameterException, same text); <paramref name="error"/> is from the table.
    /// </summary>
    public static void Validate(JsonObject input, StructureShape shape, Func<string, AwsException> error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var errors = new List<string>();
        ValidateMembers(input, shape, string.Empty, errors);
        if (errors.Count > 0)
        {
            var count = errors.Count == 1 ? "1 validation error" : $"{errors.Count} validation errors";
            throw error($"{count} detected: {string.Join("; ", errors)}");
        }
    }

    private static void ValidateMembers(JsonObject node, StructureShape shape, string prefix, List<string> errors)
    {
        foreach (var member in shape.Members)
        {
            var path = prefix + char.ToLowerInvariant(member.Name[0]) + member.Name[1..];
            var value = node[member.Name];
            if (value is null)
            {
                if (member.Required)
                {
                    errors.Add($"Value null at '{path}' failed to satisfy constraint: Member must not be null");
                }

                continue;
            }

            ValidateValue(value, member.Shape, path, errors);
        }
    }

    private static void ValidateValue(JsonNode value, Shape shape, string path, List<string> errors)
    {
        switch (shape)
        {
            case StringShape s:
                var text = AsString(value);
                foreach (var failed in StringConstraints(s, text, onlyFailed: true))
                {
                    errors.Add($"{Describe(s.Sensitive ? null : text, path)} failed to satisfy constraint: {failed}");
                }

                break;
            case BooleanShape:
                if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw AwsErrors.Serialization($"{Kind(value)} cannot be converted to Boolean");
                }

                break;
            case NumberShape n:
                var number = AsNumber(value, n.IsLong);
                if (n.Max is { } max && number > max)
                {
                    errors.Add($"Value '{number}' at '{path}' failed to satisfy constraint: Member must have value less than or equal to {max}");
                }

                if (n.Min is { } min && number < min)
                {
                    errors.Add($"Value '{number}' at '{path}' failed to satisfy constraint: Member must have value greater than or equal to {min}");
                }

                break;
            case BlobShape blob:
                ValidateBlob(value, blob, path, errors);
                break;
            case MapShape map:
                ValidateMap(value, map, path, errors);
                break;
            case ListShape list:
                ValidateList(value, list, path, errors);
                break;
            case StructureShape structure:
                ValidateMembers(value as JsonObject ?? throw AwsErrors.Serialization("Start of structure or map found where not expected."), structure, path + ".", errors);
                break;
        }
    }

    private static void ValidateBlob(JsonNode value, BlobShape blob, string path, List<string> errors)
    {
        var text = AsString(value);
        var length = Base64.IsValid(text, out var decoded) ? decoded : throw AwsErrors.Serialization($"Value at '{path}' is not valid base64.");
        if (blob.Max is { } max && length > max)
        {
            errors.Add($"Value at '{path}' failed to satisfy constraint: Member must have length less than or equal to {max}");
        }

        if (blob.Min is { } min && length < min)
        {
            errors.Add($"Value at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {min}");
        }
    }

    private static void ValidateMap(JsonNode value, MapShape map, string path, List<string> errors)
    {
        if (value is not JsonObject entries)
        {
            throw AwsErrors.Serialization(value is JsonArray ? "Start of list found where not expected." : $"{Kind(value)} cannot be converted to Map");
        }

        foreach (var (key, entry) in entries)
        {
            ValidateValue(JsonValue.Create(key), map.Key, path, errors);
            ValidateValue(entry ?? throw AwsErrors.Serialization("Null found in a map where a string is expected."), map.Value, path, errors);
        }
    }

    private static void ValidateList(JsonNode value, ListShape list, string path, List<string> errors)
    {
        if (value is not JsonArray array)
        {
            throw AwsErrors.Serialization(value is JsonObject ? "Start of structure or map found where not expected." : $"{Kind(value)} cannot be converted to List");
        }

        if (list.Max is { } max && array.Count > max)
        {
            errors.Add($"Value '{Render(array)}' at '{path}' failed to satisfy constraint: Member must have length less than or equal to {max}");
        }

        if (list.Min is { } min && array.Count < min)
        {
            errors.Add($"Value '{Render(array)}' at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {min}");
        }

        if (list.Member is StringShape member)
        {
            // AWS reports a bad element once for the whole list, naming every constraint of the element shape.
            var anyFailed = false;
            foreach (var element in array)
            {
                var text = AsString(element ?? throw AwsErrors.Serialization("Null found in a list where a string is expected."));
                anyFailed |= StringConstraints(member, text, onlyFailed: true).Any();
            }

            if (anyFailed)
            {
                var all = StringConstraints(member, null, onlyFailed: false).ToList();
                errors.Add($"Value '{Render(array)}' at '{path}' failed to satisfy constraint: Member must satisfy constraint: [{string.Join(", ", all)}]");
            }

            return;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var element = array[i] ?? throw AwsErrors.Serialization("Null found in a list where a value is expected.");
            ValidateValue(element, list.Member, $"{path}.{i + 1}.member", errors);
        }
    }

    /// <summary>The constraints of a string shape; with <paramref name="onlyFailed"/>, those <paramref name="text"/> breaks.</summary>
    private static IEnumerable<string> StringConstraints(StringShape shape, string? text, bool onlyFailed)
    {
        if (shape.Max is { } max && (!onlyFailed || text!.Length > max))
        {
            yield return $"Member must have length less than or equal to {max}";
        }

        if (shape.Min is { } min && (!onlyFailed || text!.Length < min))
        {
            yield return $"Member must have length greater than or equal to {min}";
        }

        if (shape.Pattern is { } pattern && (!onlyFailed || !shape.Matches(text!)))
        {
            yield return $"Member must satisfy regular expression pattern: {pattern}";
        }

        if (shape.Enum is { } values && (!onlyFailed || !values.Contains(text!, StringComparer.Ordinal)))
        {
            yield return $"Member must satisfy enum value set: [{string.Join(", ", values)}]";
        }
    }

    private static string AsString(JsonNode value) => value.GetValueKind() == JsonValueKind.String
        ? value.GetValue<string>()
        : throw AwsErrors.Serialization(value is JsonObject
            ? "Start of structure or map found where not expected."
            : value is JsonArray ? "Start of list found where not expected." : $"{Kind(value)} cannot be converted to String");

    private static long AsNumber(JsonNode value, bool isLong)
    {
        // ToJsonString rather than GetValue: a node built in code may hold an int, one parsed from the wire a JsonElement.
        if (value.GetValueKind() == JsonValueKind.Number
            && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            && (isLong || number is >= int.MinValue and <= int.MaxValue))
        {
            return number;
        }

        throw AwsErrors.Serialization($"{Kind(value)} cannot be converted to {(isLong ? "Long" : "Integer")}");
    }

    private static string Describe(string? text, string path) => text is null ? $"Value at '{path}'" : $"Value '{text}' at '{path}'";

    private static string Kind(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => "STRING_VALUE",
        JsonValueKind.Number => "NUMBER_VALUE",
        JsonValueKind.True or JsonValueKind.False => "BOOLEAN_VALUE",
        JsonValueKind.Array => "START_ARRAY",
        JsonValueKind.Object => "START_OBJECT",
        _ => "VALUE",
    };

    /// <summary>Lists as AWS prints them: <c>[a, b]</c>; structures as <c>{Key=a, Value=b}</c>.</summary>
    private static string Render(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray array => "[" + string.Join(", ", array.Select(Render)) + "]",
        JsonObject obj => "{" + string.Join(", ", obj.Select(p => $"{p.Key}={Render(p.Value)}")) + "}",
        _ when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
