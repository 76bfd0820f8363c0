using System.Text.Json.Nodes;
using Cairn.Core.Parameters;

namespace Cairn.Server.Services.Ssm;

/// <summary>Output shapes as the model names them; absent members are left out, never sent as null.</summary>
internal static class SsmJson
{
    /// <summary>Epoch seconds with a fraction, e.g. 1573438580.703.</summary>
    public static JsonNode Timestamp(DateTimeOffset time) => JsonValue.Create(time.ToUnixTimeMilliseconds() / 1000.0);

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    /// <summary>A Parameter (GetParameter, GetParameters, GetParametersByPath): no Tier, no KeyId, as on AWS.</summary>
    public static JsonObject Parameter(string name, string arn, ParameterVersion version, string value, string? selector)
    {
        var result = new JsonObject
        {
            ["Name"] = name,
            ["Type"] = version.Type,
            ["Value"] = value,
            ["Version"] = version.Version,
        };
        if (selector is not null)
        {
            result["Selector"] = selector;
        }

        result["LastModifiedDate"] = Timestamp(version.LastModifiedDate);
        result["ARN"] = arn;
        result["DataType"] = version.DataType;
        return result;
    }

    /// <summary>A ParameterMetadata entry of DescribeParameters.</summary>
    public static JsonObject Metadata(string name, string arn, ParameterVersion version)
    {
        var result = new JsonObject
        {
            ["Name"] = name,
            ["ARN"] = arn,
            ["Type"] = version.Type,
        };
        AddIfPresent(result, "KeyId", version.KeyId);
        result["LastModifiedDate"] = Timestamp(version.LastModifiedDate);
        result["LastModifiedUser"] = version.LastModifiedUser;
        AddIfPresent(result, "Description", version.Description);
        AddIfPresent(result, "AllowedPattern", version.AllowedPattern);
        result["Version"] = version.Version;
        result["Tier"] = version.Tier;
        result["Policies"] = Policies(version.Policies);
        result["DataType"] = version.DataType;
        return result;
    }

    /// <summary>A ParameterHistory entry.</summary>
    public static JsonObject History(string name, ParameterVersion version, string value)
    {
        var result = new JsonObject
        {
            ["Name"] = name,
            ["Type"] = version.Type,
        };
        AddIfPresent(result, "KeyId", version.KeyId);
        result["LastModifiedDate"] = Timestamp(version.LastModifiedDate);
        result["LastModifiedUser"] = version.LastModifiedUser;
        AddIfPresent(result, "Description", version.Description);
        result["Value"] = value;
        AddIfPresent(result, "AllowedPattern", version.AllowedPattern);
        result["Version"] = version.Version;
        result["Labels"] = Strings(version.Labels);
        result["Tier"] = version.Tier;
        result["Policies"] = Policies(version.Policies);
        result["DataType"] = version.DataType;
        return result;
    }

    private static JsonArray Policies(string? stored)
    {
        var array = new JsonArray();
        foreach (var policy in ParameterPolicies.FromStored(stored).Policies)
        {
            array.Add(new JsonObject
            {
                ["PolicyText"] = policy.Text,
                ["PolicyType"] = policy.Type,
                ["PolicyStatus"] = "Pending",
            });
        }

        return array;
    }

    private static void AddIfPresent(JsonObject result, string member, string? value)
    {
        if (value is not null)
        {
            result[member] = value;
        }
    }
}
