using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Core.Builds;

namespace Cairn.Application.Builds;

/// <summary>StartBuild's overrides applied to a copy of the project's document: what this one build runs with.</summary>
public static class BuildOverrides
{
    public static JsonObject Apply(JsonObject project, JsonObject input)
    {
        var document = (JsonObject)project.DeepClone();
        var source = document["source"] as JsonObject ?? [];
        document["source"] = source;
        var environment = document["environment"] as JsonObject ?? [];
        document["environment"] = environment;

        Copy(input, "sourceTypeOverride", source, "type");
        Copy(input, "sourceLocationOverride", source, "location");
        Copy(input, "gitCloneDepthOverride", source, "gitCloneDepth");
        Copy(input, "buildspecOverride", source, "buildspec");
        Copy(input, "insecureSslOverride", source, "insecureSsl");
        Copy(input, "artifactsOverride", document, "artifacts");
        Copy(input, "environmentTypeOverride", environment, "type");
        Copy(input, "imageOverride", environment, "image");
        Copy(input, "computeTypeOverride", environment, "computeType");
        Copy(input, "privilegedModeOverride", environment, "privilegedMode");
        Copy(input, "serviceRoleOverride", document, "serviceRole");
        Copy(input, "timeoutInMinutesOverride", document, "timeoutInMinutes");
        Copy(input, "queuedTimeoutInMinutesOverride", document, "queuedTimeoutInMinutes");
        Copy(input, "encryptionKeyOverride", document, "encryptionKey");
        Copy(input, "logsConfigOverride", document, "logsConfig");
        if (input["environmentVariablesOverride"] is JsonArray overrides)
        {
            environment["environmentVariables"] = MergeVariables(environment["environmentVariables"] as JsonArray ?? [], overrides);
        }

        return ProjectDocuments.WithDefaults(document);
    }

    /// <summary>An override replaces the project's variable of the same name; new names are added after the project's.</summary>
    public static JsonArray MergeVariables(JsonArray project, JsonArray overrides)
    {
        var merged = project.OfType<JsonObject>().Select(v => (JsonObject)v.DeepClone()).ToList();
        foreach (var variable in overrides.OfType<JsonObject>())
        {
            var name = variable["name"]!.GetValue<string>();
            var index = merged.FindIndex(v => v["name"]?.GetValue<string>() == name);
            var copy = (JsonObject)variable.DeepClone();
            copy["type"] ??= EnvironmentVariable.Plaintext;
            if (index >= 0)
            {
                merged[index] = copy;
            }
            else
            {
                merged.Add(copy);
            }
        }

        return new JsonArray(merged.Select(v => (JsonNode)v).ToArray());
    }

    /// <summary>What makes two StartBuild requests "the same" for an idempotency token: everything but the token.</summary>
    public static string Digest(JsonObject input)
    {
        var copy = (JsonObject)input.DeepClone();
        copy.Remove("idempotencyToken");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(copy.ToJsonString())));
    }

    private static void Copy(JsonObject from, string member, JsonObject to, string target)
    {
        if (from[member] is { } value)
        {
            to[target] = value.DeepClone();
        }
    }
}
