using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Secrets;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.Secrets;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>GetSecretValue, PutSecretValue, ListSecretVersionIds and UpdateSecretVersionStage: values, versions and staging labels.</summary>
internal sealed partial class SecretsManagerService
{
    private const int DefaultPageSize = 100;

    private async Task<JsonObject> GetSecretValueAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.GetSecretValue);
        var value = await secrets.GetSecretValueAsync(context, input.RequiredString("SecretId"), input.String("VersionId"), input.String("VersionStage"), cancellationToken);
        return SecretsManagerJson.SecretValue(value);
    }

    private async Task<JsonObject> PutSecretValueAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.PutSecretValue);
        var value = ValueOf(input) ?? throw AwsErrors.SecretNoValue();
        var stages = input["VersionStages"] is null ? [SecretRules.Current] : input.Strings("VersionStages").Distinct(StringComparer.Ordinal).ToList();
        var secret = Writable(await SecretAsync(context, input, "PutSecretValue", cancellationToken));
        var token = input.String("ClientRequestToken");
        var version = await NewVersionAsync(context, secret, token, secret.KmsKeyId, value, stages, cancellationToken);
        var updated = version is null
            ? secret
            : await ChangeAsync(context, secret, s => Writable(s) with { LastChanged = Now, Versions = WithVersion(s.Versions, version) }, cancellationToken);

        var stored = updated.Version(version?.VersionId ?? token!)!;
        var result = ArnAndName(updated);
        result["VersionId"] = stored.VersionId;
        result["VersionStages"] = SecretsManagerJson.Strings(stored.Stages);
        return result;
    }

    private async Task<JsonObject> ListSecretVersionIdsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.ListSecretVersionIds);
        var secret = await SecretAsync(context, input, "ListSecretVersionIds", cancellationToken);
        var versions = secret.Versions.Where(v => v.Stages.Count > 0 || input.Bool("IncludeDeprecated")).OrderByDescending(v => v.Created).ToList();
        var offset = ParsePageToken(input.String("NextToken"));
        var size = input.Int("MaxResults") ?? DefaultPageSize;
        var page = versions.Skip(offset).Take(size).Select(v =>
        {
            var entry = new JsonObject { ["VersionId"] = v.VersionId };
            if (v.Stages.Count > 0)
            {
                entry["VersionStages"] = SecretsManagerJson.Strings(v.Stages);
            }

            if (v.LastAccessed is { } accessed)
            {
                entry["LastAccessedDate"] = SecretsManagerJson.Timestamp(accessed);
            }

            entry["CreatedDate"] = SecretsManagerJson.Timestamp(v.Created);
            return (JsonNode?)entry;
        }).ToArray();

        var result = new JsonObject { ["Versions"] = new JsonArray(page) };
        if (offset + size < versions.Count)
        {
            result["NextToken"] = PageToken(offset + size);
        }

        result["ARN"] = secret.Arn;
        result["Name"] = secret.Name;
        return result;
    }

    private async Task<JsonObject> UpdateSecretVersionStageAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.UpdateSecretVersionStage);
        var secret = Writable(await SecretAsync(context, input, "UpdateSecretVersionStage", cancellationToken));
        var stage = input.RequiredString("VersionStage");
        var removeFrom = input.String("RemoveFromVersionId");
        var moveTo = input.String("MoveToVersionId");
        var secretId = input.RequiredString("SecretId");
        var updated = await ChangeAsync(context, secret, s => Writable(s) with
        {
            LastChanged = Now,
            Versions = MoveStage(s, secretId, stage, removeFrom, moveTo),
        }, cancellationToken);
        return ArnAndName(updated);
    }

    /// <summary>UpdateSecretVersionStage's rules: a label held elsewhere is moved only when RemoveFromVersionId names its holder.</summary>
    private static List<SecretVersionRecord> MoveStage(SecretRecord secret, string secretId, string stage, string? removeFrom, string? moveTo)
    {
        var holder = secret.VersionWithStage(stage);
        if (removeFrom is not null && secret.Version(removeFrom) is null)
        {
            throw AwsErrors.SecretVersionIdNotFound(secretId, removeFrom);
        }

        if (moveTo is not null && secret.Version(moveTo) is null)
        {
            throw AwsErrors.SecretVersionIdNotFound(secretId, moveTo);
        }

        if (removeFrom is not null && holder?.VersionId != removeFrom)
        {
            throw AwsErrors.SecretStageNotOnVersion(stage, removeFrom);
        }

        if (moveTo is not null && holder is not null && holder.VersionId != moveTo && removeFrom is null)
        {
            throw AwsErrors.SecretStageAttached(stage, holder.VersionId);
        }

        if (moveTo is null && stage == SecretRules.Current)
        {
            throw AwsErrors.SecretCurrentNeedsTarget();
        }

        if (moveTo is not null && holder?.VersionId == moveTo)
        {
            return [.. secret.Versions];
        }

        var moved = secret.Versions.Select(v => MoveLabels(v, [stage])).ToList();
        if (moveTo is null)
        {
            return moved;
        }

        if (secret.Version(moveTo)!.Stages.Count >= SecretRules.MaxStagesPerVersion)
        {
            throw AwsErrors.SecretTooManyStages();
        }

        return moved.Select(v =>
        {
            if (v.VersionId == moveTo)
            {
                var stages = v.Stages.Append(stage);
                return v with { Stages = (stage == SecretRules.Current ? stages.Where(s => s != SecretRules.Previous) : stages).ToList() };
            }

            if (stage == SecretRules.Current)
            {
                var others = v.Stages.Where(s => s != SecretRules.Previous);
                return v with { Stages = (v.VersionId == holder?.VersionId ? others.Append(SecretRules.Previous) : others).ToList() };
            }

            return v;
        }).ToList();
    }
}
