using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Secrets;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.Secrets;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>CreateSecret, UpdateSecret, DeleteSecret (a recovery window or at once) and RestoreSecret.</summary>
internal sealed partial class SecretsManagerService
{
    private async Task<JsonObject> CreateSecretAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.CreateSecret);
        var name = input.RequiredString("Name");
        SecretRules.CheckName(name);
        var value = ValueOf(input);
        var tags = TagsOf(input);
        SecretRules.CheckTags(tags.Select(t => t.Key), tags.Count);
        var replicas = ReplicaRegionsOf(input, context.Region);
        var token = input.String("ClientRequestToken");
        var existing = await secrets.FindAsync(context, name, cancellationToken);
        var arn = existing?.Arn ?? SecretArns.New(context.AccountId, context.Region, name);
        if (existing is not null)
        {
            // The retry of a create compares values: authorized with the secret's resource policy (a Deny there holds),
            // as every other call on an existing secret.
            await secrets.AuthorizeAsync(context, "secretsmanager:CreateSecret", existing, cancellationToken);
            if (tags.Count > 0)
            {
                await secrets.AuthorizeAsync(context, "secretsmanager:TagResource", existing, cancellationToken);
            }

            return await RetriedCreateAsync(context, existing, token, value, cancellationToken);
        }

        await authorizer.AuthorizeAsync(context, "secretsmanager:CreateSecret", arn, cancellationToken);
        if (tags.Count > 0)
        {
            await authorizer.AuthorizeAsync(context, "secretsmanager:TagResource", arn, cancellationToken);
        }

        var now = Now;
        var secret = new SecretRecord(context.AccountId, context.Region, name, arn, input.String("Description"), input.String("KmsKeyId"), now, now, null, null, null, tags, null, []);
        if (value is { } given)
        {
            var version = await NewVersionAsync(context, secret, token, secret.KmsKeyId, given, [SecretRules.Current], cancellationToken);
            secret = secret with { Versions = [version!] };
        }

        if (!await store.CreateAsync(secret, cancellationToken))
        {
            throw AwsErrors.SecretExists(name);
        }

        var result = ArnAndName(secret);
        if (secret.Versions.Count > 0)
        {
            result["VersionId"] = secret.Versions[0].VersionId;
        }

        if (replicas.Count > 0)
        {
            var replicated = await ReplicateToAsync(context, secret, replicas, input.Bool("ForceOverwriteReplicaSecret"), cancellationToken);
            result["ReplicationStatus"] = await ReplicationStatusAsync(replicated, null, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// A CreateSecret for a name that exists: the retry of the call that made it (same token, same value) answers as it did;
    /// anything else is ResourceExistsException, or InvalidRequestException while the secret is scheduled for deletion.
    /// </summary>
    private async Task<JsonObject> RetriedCreateAsync(RequestContext context, SecretRecord existing, string? token, (byte[] Bytes, bool IsBinary)? value, CancellationToken cancellationToken)
    {
        if (existing.DeletedDate is not null)
        {
            throw AwsErrors.SecretNameScheduledForDeletion(existing.Name);
        }

        if (token is null || value is not { } given || existing.Version(token) is null
            || await NewVersionAsync(context, existing, token, existing.KmsKeyId, given, [], cancellationToken) is not null)
        {
            throw AwsErrors.SecretExists(existing.Name);
        }

        var result = ArnAndName(existing);
        result["VersionId"] = token;
        return result;
    }

    private async Task<JsonObject> UpdateSecretAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.UpdateSecret);
        var value = ValueOf(input);
        var secret = Writable(await SecretAsync(context, input, "UpdateSecret", cancellationToken));
        var keyId = input["KmsKeyId"] is null ? secret.KmsKeyId : NullIfEmpty(input.String("KmsKeyId"));
        SecretVersionRecord? version = null;
        if (value is { } given)
        {
            version = await NewVersionAsync(context, secret, input.String("ClientRequestToken"), keyId, given, [SecretRules.Current], cancellationToken);
        }

        var updated = await ChangeAsync(context, secret, s => Writable(s) with
        {
            Description = input["Description"] is null ? s.Description : input.String("Description"),
            KmsKeyId = keyId,
            LastChanged = Now,
            Versions = version is null ? s.Versions : WithVersion(s.Versions, version),
        }, cancellationToken);

        var result = ArnAndName(updated);
        if (value is not null)
        {
            result["VersionId"] = version?.VersionId ?? input.String("ClientRequestToken");
        }

        return result;
    }

    private async Task<JsonObject> DeleteSecretAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.DeleteSecret);
        var force = input.Bool("ForceDeleteWithoutRecovery");
        var window = input.Long("RecoveryWindowInDays");
        SecretRules.CheckRecoveryWindow(window, force);
        var secret = NotReplica(await SecretAsync(context, input, "DeleteSecret", cancellationToken));
        if (secret.Replicas.Count > 0)
        {
            throw AwsErrors.SecretPrimaryHasReplicas(secret.Name, secret.Replicas.Select(r => r.Region));
        }

        var now = Now;
        var result = ArnAndName(secret);
        if (force)
        {
            await store.DeleteAsync(secret.AccountId, secret.Region, secret.Name, cancellationToken);
            result["DeletionDate"] = SecretsManagerJson.Timestamp(now);
            return result;
        }

        var deleted = await ChangeAsync(context, secret, s => s.DeletedDate is not null
            ? throw AwsErrors.SecretAlreadyMarkedForDeletion()
            : s with { DeletedDate = now, DeletionDate = now.AddDays(window ?? SecretRules.DefaultRecoveryWindowDays) }, cancellationToken);
        result["DeletionDate"] = SecretsManagerJson.Timestamp(deleted.DeletionDate!.Value);
        return result;
    }

    private async Task<JsonObject> RestoreSecretAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.SecretIdOnly);
        var secret = NotReplica(await SecretAsync(context, input, "RestoreSecret", cancellationToken));
        var restored = await ChangeAsync(context, secret, s => s with { DeletedDate = null, DeletionDate = null }, cancellationToken);
        return ArnAndName(restored);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static List<SecretTag> TagsOf(JsonObject input) =>
        input.Objects("Tags").Select(t => new SecretTag(t.String("Key") ?? string.Empty, t.String("Value") ?? string.Empty)).ToList();
}
