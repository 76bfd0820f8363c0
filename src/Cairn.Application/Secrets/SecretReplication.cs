using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.Secrets;

namespace Cairn.Application.Secrets;

/// <summary>
/// Replicas of a primary secret in other regions of its account: a secret of the same name and ARN suffix in each replica
/// region, marked with its primary's region, holding the primary's versions (decrypted under the primary's key and
/// encrypted again under the replica's: the given KmsKeyId or that region's aws/secretsmanager, KMS authorized as the
/// caller in each region), labels, description, tags and resource policy. <see cref="ReplicateAsync"/> runs after every
/// write to a primary, so replicas are in step when the write answers; a region where the name belongs to another secret
/// is Failed unless the caller forced the overwrite.
/// </summary>
public sealed class SecretReplication(ISecretStore store, SecretCrypto crypto, TimeProvider time)
{
    /// <summary>AWS's StatusMessage for a replica region where the name is taken (the model's own example).</summary>
    public const string NameTaken = "Secret with this name already exists in this region";

    /// <summary>The replica's ARN: the primary's with the replica's region.</summary>
    public static string ReplicaArn(SecretRecord primary, string region)
    {
        ArgumentNullException.ThrowIfNull(primary);
        return primary.Arn.Replace($":secretsmanager:{primary.Region}:", $":secretsmanager:{region}:", StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="candidate"/> is this primary's replica (not another secret of the same name).</summary>
    public static bool IsReplicaOf(SecretRecord candidate, SecretRecord primary)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return candidate.PrimaryRegion == primary.Region && candidate.Arn == ReplicaArn(primary, candidate.Region);
    }

    /// <summary>
    /// Brings every replica of <paramref name="primary"/> in step with it and stores each one's status on the primary;
    /// a region in <paramref name="overwrite"/> replaces a secret of the same name that is not this primary's replica.
    /// </summary>
    public async Task<SecretRecord> ReplicateAsync(RequestContext context, SecretRecord primary, IReadOnlyCollection<string> overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(overwrite);
        var statuses = new List<SecretReplica>();
        foreach (var replica in primary.Replicas)
        {
            statuses.Add(await ReplicateOneAsync(context, primary, replica, overwrite.Contains(replica.Region), cancellationToken));
        }

        if (statuses.SequenceEqual(primary.Replicas))
        {
            return primary;
        }

        return await store.UpdateAsync(primary.AccountId, primary.Region, primary.Name,
            s => s with { Replicas = s.Replicas.Select(r => statuses.FirstOrDefault(n => n.Region == r.Region && n.KmsKeyId == r.KmsKeyId) ?? r).ToList() },
            cancellationToken) ?? primary;
    }

    /// <summary>Deletes the primary's replica in <paramref name="region"/> (at once, as AWS does); a secret there that is not its replica stays.</summary>
    public async Task RemoveAsync(SecretRecord primary, string region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(primary);
        if (await store.GetAsync(primary.AccountId, region, primary.Name, cancellationToken) is { } replica && IsReplicaOf(replica, primary))
        {
            await store.DeleteAsync(primary.AccountId, region, primary.Name, cancellationToken);
        }
    }

    private async Task<SecretReplica> ReplicateOneAsync(RequestContext context, SecretRecord primary, SecretReplica replica, bool overwrite, CancellationToken cancellationToken)
    {
        var arn = ReplicaArn(primary, replica.Region);
        var existing = await store.GetAsync(primary.AccountId, replica.Region, primary.Name, cancellationToken);
        if (existing is not null && !IsReplicaOf(existing, primary))
        {
            if (!overwrite)
            {
                return replica with
                {
                    Status = SecretReplicaStatuses.Failed,
                    StatusMessage = $"{NameTaken}. Call replicate-secret-to-regions again with --force-overwrite-replica-secret to replace that secret in {replica.Region}, or remove this region with remove-regions-from-replication.",
                };
            }

            await store.DeleteAsync(primary.AccountId, replica.Region, primary.Name, cancellationToken);
            existing = null;
        }

        try
        {
            var versions = await VersionsAsync(context, primary, replica, arn, existing, cancellationToken);
            var now = time.GetUtcNow();
            var record = new SecretRecord(primary.AccountId, replica.Region, primary.Name, arn, primary.Description, replica.KmsKeyId,
                existing?.Created ?? now, primary.LastChanged, existing?.LastAccessed, primary.DeletedDate, primary.DeletionDate, primary.Tags,
                primary.ResourcePolicy, versions) { PrimaryRegion = primary.Region };
            var stored = existing is not null
                ? await store.UpdateAsync(primary.AccountId, replica.Region, primary.Name, _ => record, cancellationToken) is not null
                : await store.CreateAsync(record, cancellationToken);
            return stored
                ? replica with { Status = SecretReplicaStatuses.InSync, StatusMessage = null }
                : replica with { Status = SecretReplicaStatuses.Failed, StatusMessage = NameTaken + "." };
        }
        catch (AwsException error)
        {
            // KMS refused (the caller's rights on either key, a missing key): the replica keeps what it had, as AWS keeps versions already replicated.
            return replica with { Status = SecretReplicaStatuses.Failed, StatusMessage = error.Message };
        }
    }

    /// <summary>The primary's versions for the replica: ones it holds already under the same key keep their ciphertext; the rest are encrypted for it.</summary>
    private async Task<List<SecretVersionRecord>> VersionsAsync(
        RequestContext context, SecretRecord primary, SecretReplica replica, string arn, SecretRecord? existing, CancellationToken cancellationToken)
    {
        var replicaContext = context with { Region = replica.Region };
        var versions = new List<SecretVersionRecord>();
        foreach (var version in primary.Versions)
        {
            var held = existing?.Version(version.VersionId);
            if (held is not null && existing!.KmsKeyId == replica.KmsKeyId)
            {
                versions.Add(held with { Stages = version.Stages });
                continue;
            }

            var plaintext = await crypto.DecryptAsync(context, primary.Arn, version.VersionId, version.KeyArn, version.Ciphertext, cancellationToken);
            var (ciphertext, keyArn) = await crypto.EncryptAsync(replicaContext, arn, version.VersionId, replica.KmsKeyId, plaintext, cancellationToken);
            versions.Add(new SecretVersionRecord(version.VersionId, version.Stages, version.Created, ciphertext, version.IsBinary, keyArn, held?.LastAccessed));
        }

        return versions;
    }
}
