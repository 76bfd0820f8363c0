using System.Globalization;
using System.Text.Json.Nodes;

namespace Cairn.Server.Aws.Validation;

/// <summary>Reads members of an input already checked by <see cref="InputValidator"/>, so types are known to be right.</summary>
internal static class JsonMembers
{
    public static string? String(this JsonObject input, string member) => input[member]?.GetValue<string>();

    public static string RequiredString(this JsonObject input, string member) => input[member]!.GetValue<string>();

    public static bool Bool(this JsonObject input, string member) => input[member]?.GetValue<bool>() ?? false;

    public static long? Long(this JsonObject input, string member) =>
        input[member] is { } node ? long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture) : null;

    /// <summary>An Integer member (the validator has checked it fits).</summary>
    public static int? Int(this JsonObject input, string member) => (int?)input.Long(member);

    public static IReadOnlyList<string> Strings(this JsonObject input, string member) =>
        input[member] is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToList() : [];

    public static IReadOnlyList<JsonObject> Objects(this JsonObject input, string member) =>
        input[member] is JsonArray array ? array.Select(n => (JsonObject)n!).ToList() : [];

    public static byte[]? Blob(this JsonObject input, string member) =>
        input.String(member) is { } text ? Convert.FromBase64String(text) : null;

    public static byte[] RequiredBlob(this JsonObject input, string member) => Convert.FromBase64String(input.RequiredString(member));

    /// <summary>A string-to-string map; absent and empty are the same.</summary>
    public static Dictionary<string, string> StringMap(this JsonObject input, string member) =>
        input[member] is JsonObject map
            ? map.ToDictionary(pair => pair.Key, pair => pair.Value!.GetValue<string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
