using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey.</summary>
public sealed partial class KeyService
{
    /// <summary>Creates a customer managed symmetric key; anything else KMS can make is UnsupportedOperationException.</summary>
    public async Task<KeyRecord> CreateKeyAsync(RequestContext context, CreateKeyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);

        var keyUsage = request.KeyUsage ?? KeyRecord.EncryptDecrypt;
        var keySpec = request.KeySpec ?? KeyRecord.SymmetricDefault;
        var origin = request.Origin ?? KeyRecord.AwsKmsOrigin;
        if (keySpec != KeyRecord.SymmetricDefault || keyUsage != KeyRecord.EncryptDecrypt)
        {
            throw AwsErrors.KmsUnsupported(
                $"Cairn supports symmetric encryption keys only (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT); this request asked for KeySpec {keySpec} with KeyUsage {keyUsage}.");
        }

        if (origin != KeyRecord.AwsKmsOrigin || request.CustomKeyStoreId is not null || request.XksKeyId is not null)
        {
            throw AwsErrors.KmsUnsupported($"Cairn generates all key material itself (Origin AWS_KMS); Origin {origin} and custom key stores are not supported.");
        }

        if (request.MultiRegion)
        {
            throw AwsErrors.KmsUnsupported("Cairn does not support multi-Region keys; create the key without MultiRegion.");
        }

        if (request.Policy is not null)
        {
            CheckKeyPolicy(context, KeyArns.Key(ScopeOf(context), "*"), request.Policy, request.BypassPolicyLockoutSafetyCheck);
        }

        await authorizer.AuthorizeAsync(context, "kms:CreateKey", "*", cancellationToken);
        return await keys.CreateKeyAsync(ScopeOf(context), request.Description ?? string.Empty, request.Policy, request.Tags, cancellationToken);
    }

    public Task<KeyRecord> DescribeKeyAsync(RequestContext context, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AuthorizedKeyAsync(context, keyId, "kms:DescribeKey", allowAlias: true, cancellationToken);
    }

    /// <summary>Keys in key id order after <paramref name="afterKeyId"/>.</summary>
    public async Task<KeyListPage<KeyRecord>> ListKeysAsync(RequestContext context, int limit, string? afterKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "kms:ListKeys", "*", cancellationToken);
        await store.DeleteKeysDueAsync(ScopeOf(context), time.GetUtcNow(), cancellationToken);
        var found = await store.ListKeysAsync(ScopeOf(context), afterKeyId, limit + 1, cancellationToken);
        return Page(found, limit, key => key.KeyId);
    }

    /// <summary>EnableKey (<paramref name="enabled"/>) or DisableKey; a key id or key ARN, not an alias.</summary>
    public async Task SetEnabledAsync(RequestContext context, string keyId, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var action = enabled ? "kms:EnableKey" : "kms:DisableKey";
        var key = await ManagedKeyAsync(context, keyId, action, cancellationToken);
        NotPendingDeletion(key);
        if (key.Enabled != enabled && !await store.SetEnabledAsync(key.Scope, key.KeyId, enabled, time.GetUtcNow(), cancellationToken))
        {
            throw AwsErrors.KmsKeyNotFound(key.Arn);
        }
    }

    /// <summary>Schedules the key's deletion after a 7-30 day wait (30 by default); it is disabled meanwhile and deleted when the date passes.</summary>
    public async Task<KeyRecord> ScheduleKeyDeletionAsync(RequestContext context, string keyId, int? pendingWindowInDays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await ManagedKeyAsync(context, keyId, "kms:ScheduleKeyDeletion", cancellationToken);
        var days = pendingWindowInDays ?? 30;
        var deletionDate = time.GetUtcNow().AddDays(days);
        return await UpdateAsync(key, found => NotPendingDeletion(found) with { Enabled = false, DeletionDate = deletionDate, PendingWindowInDays = days }, cancellationToken);
    }

    /// <summary>Cancels a scheduled deletion: the key stays, Disabled, as in AWS (EnableKey makes it usable again).</summary>
    public async Task<KeyRecord> CancelKeyDeletionAsync(RequestContext context, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await ManagedKeyAsync(context, keyId, "kms:CancelKeyDeletion", cancellationToken);
        return await UpdateAsync(key, found => found.IsPendingDeletion
            ? found with { Enabled = false, DeletionDate = null, PendingWindowInDays = null }
            : throw AwsErrors.KmsNotPendingDeletion(found.Arn), cancellationToken);
    }

    public async Task UpdateKeyDescriptionAsync(RequestContext context, string keyId, string description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await ManagedKeyAsync(context, keyId, "kms:UpdateKeyDescription", cancellationToken);
        await UpdateAsync(key, found => NotPendingDeletion(found) with { Description = description }, cancellationToken);
    }
}
