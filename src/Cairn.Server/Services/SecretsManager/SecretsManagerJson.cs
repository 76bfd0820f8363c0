using System.Text.Json.Nodes;
using Cairn.Application.Secrets;
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

        json["RotationEnabled"] = false;
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
        return json;
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
