using System.Text.Json.Nodes;
using Cairn.Application.Secrets;
using Cairn.Core.Secrets;
using Cairn.Storage.Secrets;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>Secrets Manager's output shapes: members AWS omits when empty are left out.</summary>
internal static class SecretsManagerJson
{
    /// <summary>Epoch seconds with a fraction, e.g. 1573438580.703.</summary>
    public static JsonNode Timestamp(DateTimeOffset time) => JsonValue.Create(time.ToUnixTimeMilliseconds() / 1000.0);

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    public static JsonArray Tags(IEnumerable<SecretTag> tags) =>
        new(tags.Select(t => (JsonNode?)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray());

    /// <summary>The labelled versions and their labels (SecretVersionsToStages / VersionIdsToStages).</summary>
    public static JsonObject VersionsToStages(SecretRecord secret)
    {
        var map = new JsonObject();
        foreach (var version in secret.Versions.Where(v => v.Stages.Count > 0))
        {
            map[version.VersionId] = Strings(version.Stages);
        }

        return map;
    }

    /// <summary>What DescribeSecret and a ListSecrets entry share; <paramref name="versionsMember"/> is the one name that differs.</summary>
    public static JsonObject Secret(SecretRecord secret, string versionsMember)
    {
        var json = new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        if (secret.Description is not null)
        {
            json["Description"] = secret.Description;
        }

        if (secret.KmsKeyId is not null)
        {
            json["KmsKeyId"] = secret.KmsKeyId;
        }

        if (secret.Rotation is { } rotation)
        {
            AddRotation(json, secret, rotation);
        }

        json["LastChangedDate"] = Timestamp(secret.LastChanged);
        if (secret.LastAccessed is { } accessed)
        {
            json["LastAccessedDate"] = Timestamp(accessed);
        }

        if (secret.DeletedDate is { } deleted)
        {
            json["DeletedDate"] = Timestamp(deleted);
        }

        if (secret.Tags.Count > 0)
        {
            json["Tags"] = Tags(secret.Tags);
        }

        json[versionsMember] = VersionsToStages(secret);
        json["CreatedDate"] = Timestamp(secret.Created);
        if (secret.PrimaryRegion is { } primary)
        {
            json["PrimaryRegion"] = primary;
        }
        else if (secret.Replicas.Count > 0)
        {
            json["PrimaryRegion"] = secret.Region;
            json["ReplicationStatus"] = new JsonArray(secret.Replicas.Select(r => (JsonNode?)Replica(r, null)).ToArray());
        }

        return json;
    }

    /// <summary>One ReplicationStatus entry.</summary>
    public static JsonObject Replica(SecretReplica replica, DateTimeOffset? lastAccessed)
    {
        ArgumentNullException.ThrowIfNull(replica);
        var json = new JsonObject { ["Region"] = replica.Region, ["KmsKeyId"] = replica.KmsKeyId ?? SecretRules.DefaultKeyAlias, ["Status"] = replica.Status };
        if (replica.StatusMessage is { } message)
        {
            json["StatusMessage"] = message;
        }

        if (lastAccessed is { } accessed)
        {
            json["LastAccessedDate"] = Timestamp(accessed);
        }

        return json;
    }

    /// <summary>
    /// RotationEnabled, the function, the rules as given, LastRotatedDate and, while enabled, NextRotationDate: the end of
    /// the next window after the last rotation or new AWSCURRENT value (AWS counts a new value as a rotation).
    /// </summary>
    private static void AddRotation(JsonObject json, SecretRecord secret, SecretRotation rotation)
    {
        json["RotationEnabled"] = rotation.Enabled;
        if (rotation.LambdaArn is { } function)
        {
            json["RotationLambdaARN"] = function;
        }

        var rules = new JsonObject();
        if (rotation.AutomaticallyAfterDays is { } days)
        {
            rules["AutomaticallyAfterDays"] = days;
        }

        if (rotation.ScheduleExpression is { } expression)
        {
            rules["ScheduleExpression"] = expression;
        }

        if (rotation.Duration is { } duration)
        {
            rules["Duration"] = duration;
        }

        if (rules.Count > 0)
        {
            json["RotationRules"] = rules;
        }

        if (rotation.LastRotated is { } rotated)
        {
            json["LastRotatedDate"] = Timestamp(rotated);
        }

        if (rotation.Enabled && rules.Count > 0)
        {
            var since = new[] { rotation.Configured, rotation.LastRotated ?? rotation.Configured, secret.VersionWithStage(SecretRules.Current)?.Created ?? rotation.Configured }.Max();
            if (RotationSchedule.Parse(rotation.AutomaticallyAfterDays, rotation.ScheduleExpression, rotation.Duration).NextRotation(since) is { } next)
            {
                json["NextRotationDate"] = Timestamp(next);
            }
        }
    }

    /// <summary>GetSecretValue's answer (also SSM's SourceResult for a /aws/reference/secretsmanager/ parameter).</summary>
    public static JsonObject SecretValue(SecretValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = new JsonObject { ["ARN"] = value.Arn, ["Name"] = value.Name, ["VersionId"] = value.VersionId };
        if (value.Binary is { } binary)
        {
            result["SecretBinary"] = Convert.ToBase64String(binary);
        }
        else
        {
            result["SecretString"] = value.String;
        }

        result["VersionStages"] = Strings(value.Stages);
        result["CreatedDate"] = Timestamp(value.Created);
        return result;
    }
}
