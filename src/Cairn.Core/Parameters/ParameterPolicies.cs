using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;

namespace Cairn.Core.Parameters;

/// <summary>
/// Parses PutParameter's Policies: a JSON array of at most 10 of Expiration {Timestamp},
/// ExpirationNotification {Before, Unit} and NoChangeNotification {After, Unit}, each at most once.
/// </summary>
public static class ParameterPolicies
{
    public const int MaxPolicies = 10;
    public const string Expiration = "Expiration";
    public const string ExpirationNotification = "ExpirationNotification";
    public const string NoChangeNotification = "NoChangeNotification";

    /// <summary>Validates a policies document given on write; an Expiration must lie after <paramref name="now"/>.</summary>
    public static ParameterPolicySet Parse(string json, DateTimeOffset now) => ParseCore(json, now);

    /// <summary>Reads policies back from storage, where they were validated when written.</summary>
    public static ParameterPolicySet FromStored(string? stored) => stored is null ? ParameterPolicySet.None : ParseCore(stored, null);

    private static ParameterPolicySet ParseCore(string json, DateTimeOffset? now)
    {
        JsonArray array;
        try
        {
            array = JsonNode.Parse(json) as JsonArray
                ?? throw AwsErrors.InvalidPolicyAttribute("Policies must be a JSON array of policy objects, e.g. [{\"Type\":\"Expiration\",\"Version\":\"1.0\",\"Attributes\":{\"Timestamp\":\"2030-01-01T00:00:00.000Z\"}}].");
        }
        catch (JsonException)
        {
            throw AwsErrors.InvalidPolicyAttribute("Policies is not valid JSON: it must be a JSON array of policy objects.");
        }

        if (array.Count > MaxPolicies)
        {
            throw AwsErrors.PoliciesLimitExceeded();
        }

        var policies = new List<ParameterPolicy>(array.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset? expiresAt = null;
        foreach (var node in array)
        {
            if (node is not JsonObject policy)
            {
                throw AwsErrors.InvalidPolicyAttribute("Each policy must be a JSON object with Type, Version and Attributes.");
            }

            var type = Text(policy["Type"]) ?? throw AwsErrors.InvalidPolicyType("null");
            if (type is not (Expiration or ExpirationNotification or NoChangeNotification))
            {
                throw AwsErrors.InvalidPolicyType(type);
            }

            if (!seen.Add(type))
            {
                throw AwsErrors.IncompatiblePolicy(
                    $"There is a conflict in the policies specified for this parameter. You can't specify two {type} policies for a parameter. Review your policies, and try again.");
            }

            var version = Text(policy["Version"]) ?? "1.0";
            if (version != "1.0")
            {
                throw AwsErrors.InvalidPolicyAttribute($"Policy version {version} is not supported for the {type} policy; use \"1.0\".");
            }

            var attributes = policy["Attributes"] as JsonObject
                ?? throw AwsErrors.InvalidPolicyAttribute($"The {type} policy needs an Attributes object.");
            var normalized = new JsonObject { ["Type"] = type, ["Version"] = version };
            if (type == Expiration)
            {
                var timestamp = ParseTimestamp(Text(attributes["Timestamp"]));
                if (now is { } current && timestamp <= current)
                {
                    throw AwsErrors.InvalidPolicyAttribute("The Expiration policy's Timestamp must be in the future.");
                }

                expiresAt = timestamp;
                normalized["Attributes"] = new JsonObject { ["Timestamp"] = Text(attributes["Timestamp"]) };
            }
            else
            {
                var amountName = type == ExpirationNotification ? "Before" : "After";
                var amount = Text(attributes[amountName]);
                if (amount is null || !int.TryParse(amount, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
                {
                    throw AwsErrors.InvalidPolicyAttribute($"The {type} policy needs attribute {amountName}: a positive whole number, e.g. \"15\".");
                }

                var unit = Text(attributes["Unit"]);
                if (unit is not ("Days" or "Hours"))
                {
                    throw AwsErrors.InvalidPolicyAttribute($"The {type} policy's Unit must be Days or Hours, not {unit ?? "null"}.");
                }

                normalized["Attributes"] = new JsonObject { [amountName] = amount, ["Unit"] = unit };
            }

            policies.Add(new ParameterPolicy(type, normalized.ToJsonString()));
        }

        if (seen.Contains(ExpirationNotification) && !seen.Contains(Expiration))
        {
            throw AwsErrors.IncompatiblePolicy(
                "There is a conflict in the policies specified for this parameter. An ExpirationNotification policy needs an Expiration policy. Review your policies, and try again.");
        }

        return new ParameterPolicySet(policies, expiresAt);
    }

    private static DateTimeOffset ParseTimestamp(string? text)
    {
        if (text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
        {
            return timestamp;
        }

        throw AwsErrors.InvalidPolicyAttribute(
            $"The Expiration policy's Timestamp {text ?? "null"} is not a date and time; use ISO 8601, e.g. 2030-01-01T00:00:00.000Z.");
    }

    /// <summary>Attribute values are strings on AWS; numbers are accepted and read as their text.</summary>
    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var s) ? s : value.ToJsonString()
        : null;
}
