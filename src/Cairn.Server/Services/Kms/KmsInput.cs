using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Keys;

namespace Cairn.Server.Services.Kms;

/// <summary>
/// Reads KMS request members with the service's checks: wrong JSON types are SerializationException, constraint
/// failures are AWS's "1 validation error detected" texts naming the member in camelCase, as AWS does.
/// </summary>
internal static class KmsInput
{
    public static string? OptionalString(JsonObject input, string member)
    {
        var node = input[member];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        throw TypeMismatch(member, "a string");
    }

    public static string RequiredString(JsonObject input, string member) =>
        OptionalString(input, member) ?? throw AwsErrors.KmsValueNull(Camel(member));

    public static string CheckLength(string value, string member, int min, int max)
    {
        if (value.Length < min)
        {
            throw AwsErrors.ValidationConstraint(value, Camel(member), $"Member must have length greater than or equal to {min}");
        }

        if (value.Length > max)
        {
            throw AwsErrors.ValidationConstraint(value, Camel(member), $"Member must have length less than or equal to {max}");
        }

        return value;
    }

    public static string? CheckEnum(string? value, string member, params string[] allowed)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw AwsErrors.ValidationConstraint(value, Camel(member), $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        }

        return value;
    }

    /// <summary>A base64 blob member, bounds checked without ever echoing its bytes.</summary>
    public static byte[]? OptionalBlob(JsonObject input, string member, int min, int max)
    {
        var text = OptionalString(input, member);
        if (text is null)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw AwsErrors.Serialization($"Value for {member} is not valid base64.");
        }

        if (bytes.Length < min)
        {
            throw AwsErrors.KmsBlobLength(Camel(member), $"Member must have length greater than or equal to {min}");
        }

        if (bytes.Length > max)
        {
            throw AwsErrors.KmsBlobLength(Camel(member), $"Member must have length less than or equal to {max}");
        }

        return bytes;
    }

    public static byte[] RequiredBlob(JsonObject input, string member, int min, int max) =>
        OptionalBlob(input, member, min, max) ?? throw AwsErrors.KmsValueNull(Camel(member));

    public static int? OptionalInt(JsonObject input, string member, int min, int max)
    {
        var node = input[member];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<int>(out var number))
        {
            throw TypeMismatch(member, "an integer");
        }

        if (number < min)
        {
            throw AwsErrors.ValidationConstraint(number.ToString(System.Globalization.CultureInfo.InvariantCulture), Camel(member), $"Member must have value greater than or equal to {min}");
        }

        if (number > max)
        {
            throw AwsErrors.ValidationConstraint(number.ToString(System.Globalization.CultureInfo.InvariantCulture), Camel(member), $"Member must have value less than or equal to {max}");
        }

        return number;
    }

    public static bool? OptionalBool(JsonObject input, string member)
    {
        var node = input[member];
        if (node is null)
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : throw TypeMismatch(member, "a boolean");
    }

    /// <summary>EncryptionContext: a map of strings to strings; absent and empty are the same context.</summary>
    public static Dictionary<string, string> StringMap(JsonObject input, string member)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var node = input[member];
        if (node is null)
        {
            return result;
        }

        if (node is not JsonObject map)
        {
            throw TypeMismatch(member, "a map");
        }

        foreach (var (key, value) in map)
        {
            if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                throw TypeMismatch($"{member}.{key}", "a string");
            }

            result[key] = text.GetValue<string>();
        }

        return result;
    }

    /// <summary>CreateKey's Tags: keys 1-128, values 0-256 characters, none starting with the reserved aws: prefix.</summary>
    public static List<KeyTag> Tags(JsonObject input, string member)
    {
        var result = new List<KeyTag>();
        var node = input[member];
        if (node is null)
        {
            return result;
        }

        if (node is not JsonArray array)
        {
            throw TypeMismatch(member, "a list");
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject tag)
            {
                throw TypeMismatch($"{member}.{i + 1}", "a structure");
            }

            var key = OptionalString(tag, "TagKey") ?? throw AwsErrors.KmsValueNull($"tags.{i + 1}.member.tagKey");
            var value = OptionalString(tag, "TagValue") ?? throw AwsErrors.KmsValueNull($"tags.{i + 1}.member.tagValue");
            CheckLength(key, $"tags.{i + 1}.member.tagKey", 1, 128);
            CheckLength(value, $"tags.{i + 1}.member.tagValue", 0, 256);
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw AwsErrors.KmsTag("Tags beginning with aws: are reserved");
            }

            result.RemoveAll(t => t.TagKey == key);
            result.Add(new KeyTag(key, value));
        }

        return result;
    }

    /// <summary>AWS names members in messages in camelCase ("keyId", "plaintext"); dotted paths are passed through.</summary>
    private static string Camel(string member) =>
        member.Length == 0 || char.IsLower(member[0]) || member.Contains('.', StringComparison.Ordinal)
            ? member
            : char.ToLowerInvariant(member[0]) + member[1..];

    private static AwsException TypeMismatch(string member, string expected) =>
        AwsErrors.Serialization($"Value for {member} must be {expected}.");
}
