using System.Text.Json.Nodes;
using Cairn.Application.Secrets;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.Secrets;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>
/// ReplicateSecretToRegions, RemoveRegionsFromReplication and StopReplicationToReplica over <see cref="SecretReplication"/>:
/// replicas are secrets of the same name in other regions of the account, written only through their primary.
/// </summary>
internal sealed partial class SecretsManagerService
{
    private async Task<JsonObject> ReplicateSecretToRegionsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.ReplicateSecretToRegions);
        var secret = Writable(await SecretAsync(context, input, "ReplicateSecretToRegions", cancellationToken));
        var regions = ReplicaRegionsOf(input, secret.Region);
        var replicated = await ReplicateToAsync(context, secret, regions, input.Bool("ForceOverwriteReplicaSecret"), cancellationToken);
        return new JsonObject { ["ARN"] = replicated.Arn, ["ReplicationStatus"] = await ReplicationStatusAsync(replicated, regions.Select(r => r.Region), cancellationToken) };
    }

    private async Task<JsonObject> RemoveRegionsFromReplicationAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.RemoveRegionsFromReplication);
        var secret = Writable(await SecretAsync(context, input, "RemoveRegionsFromReplication", cancellationToken));
        var regions = input.Strings("RemoveReplicaRegions").Distinct(StringComparer.Ordinal).ToList();
        foreach (var region in regions.Where(r => secret.Replicas.All(x => x.Region != r)))
        {
            throw AwsErrors.SecretReplicaRegionInvalid(
                $"Invalid replica region: {secret.Name} is not replicated to {region}" + (secret.Replicas.Count == 0 ? "." : $"; its replicas are in {string.Join(", ", secret.Replicas.Select(r => r.Region))}."));
        }

        foreach (var region in regions)
        {
            await replication.RemoveAsync(secret, region, cancellationToken);
        }

        var updated = await store.UpdateAsync(secret.AccountId, secret.Region, secret.Name,
            s => s with { Replicas = s.Replicas.Where(r => !regions.Contains(r.Region, StringComparer.Ordinal)).ToList() }, cancellationToken)
            ?? throw AwsErrors.SecretNotFound(secret.Name);
        return new JsonObject { ["ARN"] = updated.Arn, ["ReplicationStatus"] = await ReplicationStatusAsync(updated, null, cancellationToken) };
    }

    private async Task<JsonObject> StopReplicationToReplicaAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.SecretIdOnly);
        var secret = await SecretAsync(context, input, "StopReplicationToReplica", cancellationToken);
        if (secret.PrimaryRegion is not { } primaryRegion)
        {
            throw AwsErrors.SecretNotAReplica(secret.Name);
        }

        var promoted = await store.UpdateAsync(secret.AccountId, secret.Region, secret.Name, s => s with { PrimaryRegion = null }, cancellationToken)
            ?? throw AwsErrors.SecretNotFound(secret.Name);
        await store.UpdateAsync(secret.AccountId, primaryRegion, secret.Name,
            s => SecretReplication.IsReplicaOf(secret, s) ? s with { Replicas = s.Replicas.Where(r => r.Region != secret.Region).ToList() } : s, cancellationToken);
        return new JsonObject { ["ARN"] = promoted.Arn };
    }

    /// <summary>AddReplicaRegions checked: each region once, none the secret's own.</summary>
    private static List<SecretReplica> ReplicaRegionsOf(JsonObject input, string ownRegion)
    {
        var regions = input.Objects("AddReplicaRegions")
            .Select(r => new SecretReplica(r.String("Region") ?? string.Empty, NullIfEmpty(r.String("KmsKeyId")), SecretReplicaStatuses.InProgress, null))
            .ToList();
        if (regions.FirstOrDefault(r => r.Region == ownRegion) is { } own)
        {
            throw AwsErrors.SecretReplicaRegionInvalid($"Invalid replica region: {own.Region} is the primary secret's own region; replicate it to other regions.");
        }

        if (regions.GroupBy(r => r.Region).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw AwsErrors.SecretReplicaRegionInvalid($"Invalid replica region: {twice.Key} is given {twice.Count()} times in AddReplicaRegions; give each region once.");
        }

        return regions;
    }

    /// <summary>Records the regions on the primary (a region given again takes its new KmsKeyId) and replicates to every one.</summary>
    private async Task<SecretRecord> ReplicateToAsync(RequestContext context, SecretRecord secret, IReadOnlyList<SecretReplica> regions, bool overwrite, CancellationToken cancellationToken)
    {
        var recorded = await store.UpdateAsync(secret.AccountId, secret.Region, secret.Name, s => Writable(s) with
        {
            Replicas = [.. s.Replicas.Where(r => regions.All(n => n.Region != r.Region)), .. regions],
        }, cancellationToken) ?? throw AwsErrors.SecretNotFound(secret.Name);
        return await replication.ReplicateAsync(context, recorded, overwrite ? regions.Select(r => r.Region).ToList() : [], cancellationToken);
    }

    /// <summary>ReplicationStatus of the primary's replicas (only <paramref name="regions"/> when given), with each replica's LastAccessedDate.</summary>
    private async Task<JsonArray> ReplicationStatusAsync(SecretRecord primary, IEnumerable<string>? regions, CancellationToken cancellationToken)
    {
        var wanted = regions?.ToHashSet(StringComparer.Ordinal);
        var entries = new JsonArray();
        foreach (var replica in primary.Replicas.Where(r => wanted is null || wanted.Contains(r.Region)))
        {
            var stored = replica.Status == SecretReplicaStatuses.InSync ? await store.GetAsync(primary.AccountId, replica.Region, primary.Name, cancellationToken) : null;
            entries.Add(SecretsManagerJson.Replica(replica, stored?.LastAccessed));
        }

        return entries;
    }
}
