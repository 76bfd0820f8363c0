using System.Text.Json.Nodes;
using Cairn.Core.Parameters;

namespace Cairn.Server.Services.Ssm;

/// <summary>Reads members of an input already checked by the validator, so types are known to be right.</summary>
internal static class JsonInput
{
    public static string? String(this JsonObject input, string member) => input[member]?.GetValue<string>();

    public static string RequiredString(this JsonObject input, string member) => input[member]!.GetValue<string>();

    public static bool Bool(this JsonObject input, string member) => input[member]?.GetValue<bool>() ?? false;

    public static long? Long(this JsonObject input, string member) =>
        input[member] is { } node ? long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : null;

    public static IReadOnlyList<string> Strings(this JsonObject input, string member) =>
        input[member] is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToList() : [];

    public static IReadOnlyList<JsonObject> Objects(this JsonObject input, string member) =>
        input[member] is JsonArray array ? array.Select(n => (JsonObject)n!).ToList() : [];

    public static IReadOnlyList<ParameterTag> Tags(this JsonObject input, string member) =>
        input.Objects(member).Select(t => new ParameterTag(t.RequiredString("Key"), t.RequiredString("Value"))).ToList();

    public static IReadOnlyList<ParameterStringFilter> Filters(this JsonObject input, string member) =>
        input.Objects(member).Select(f => new ParameterStringFilter(f.RequiredString("Key"), f.String("Option"), f.Strings("Values"))).ToList();
}
