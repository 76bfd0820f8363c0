using System.Text.Json.Nodes;

namespace Cairn.Core.Parameters;

/// <summary>A parameter's policies; <see cref="ExpiresAt"/> is the Expiration policy's time, if there is one.</summary>
public sealed record ParameterPolicySet(IReadOnlyList<ParameterPolicy> Policies, DateTimeOffset? ExpiresAt)
{
    public static readonly ParameterPolicySet None = new([], null);

    public bool IsEmpty => Policies.Count == 0;

    /// <summary>The stored form: a JSON array of the policies, or null when there are none.</summary>
    public string? ToStoredText()
    {
        if (IsEmpty)
        {
            return null;
        }

        var array = new JsonArray();
        foreach (var policy in Policies)
        {
            array.Add(JsonNode.Parse(policy.Text));
        }

        return array.ToJsonString();
    }
}
