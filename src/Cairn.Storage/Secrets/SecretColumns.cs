using System.Text.Json.Nodes;

namespace Cairn.Storage.Secrets;

/// <summary>A secret's JSON columns (tags, stages, replicas, rotation), written and read alike by every backend.</summary>
public static class SecretColumns
{
    public static string TagsJson(IReadOnlyList<SecretTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return new JsonArray(tags.Select(t => (JsonNode?)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray()).ToJsonString();
    }

    public static List<SecretTag> ParseTags(string json) =>
        JsonNode.Parse(json)!.AsArray().Select(t => new SecretTag(t!["Key"]!.GetValue<string>(), t["Value"]!.GetValue<string>())).ToList();

    public static string StagesJson(IReadOnlyList<string> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        return new JsonArray(stages.Select(x => (JsonNode?)x).ToArray()).ToJsonString();
    }

    public static List<string> ParseStages(string json) => JsonNode.Parse(json)!.AsArray().Select(x => x!.GetValue<string>()).ToList();

    /// <summary>Null for a secret without replicas, so existing rows need no value.</summary>
    public static string? ReplicasJson(IReadOnlyList<SecretReplica> replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        return replicas.Count == 0
            ? null
            : new JsonArray(replicas.Select(r => (JsonNode?)new JsonObject
            {
                ["Region"] = r.Region, ["KmsKeyId"] = r.KmsKeyId, ["Status"] = r.Status, ["StatusMessage"] = r.StatusMessage,
            }).ToArray()).ToJsonString();
    }

    public static List<SecretReplica> ParseReplicas(string? json) =>
        json is null
            ? []
            : JsonNode.Parse(json)!.AsArray().Select(r => new SecretReplica(
                r!["Region"]!.GetValue<string>(), r["KmsKeyId"]?.GetValue<string>(), r["Status"]!.GetValue<string>(), r["StatusMessage"]?.GetValue<string>())).ToList();

    public static string? RotationJson(SecretRotation? rotation) =>
        rotation is null
            ? null
            : new JsonObject
            {
                ["Enabled"] = rotation.Enabled,
                ["LambdaArn"] = rotation.LambdaArn,
                ["AutomaticallyAfterDays"] = rotation.AutomaticallyAfterDays,
                ["ScheduleExpression"] = rotation.ScheduleExpression,
                ["Duration"] = rotation.Duration,
                ["Configured"] = rotation.Configured.ToUnixTimeMilliseconds(),
                ["LastRotated"] = rotation.LastRotated?.ToUnixTimeMilliseconds(),
            }.ToJsonString();

    public static SecretRotation? ParseRotation(string? json)
    {
        if (json is null)
        {
            return null;
        }

        var r = JsonNode.Parse(json)!.AsObject();
        return new SecretRotation(
            r["Enabled"]!.GetValue<bool>(), r["LambdaArn"]?.GetValue<string>(), r["AutomaticallyAfterDays"]?.GetValue<long>(),
            r["ScheduleExpression"]?.GetValue<string>(), r["Duration"]?.GetValue<string>(),
            DateTimeOffset.FromUnixTimeMilliseconds(r["Configured"]!.GetValue<long>()),
            r["LastRotated"] is { } last ? DateTimeOffset.FromUnixTimeMilliseconds(last.GetValue<long>()) : null);
    }
}
