using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey.</summary>
public sealed partial class KeyService
{
    /// <summary>
    /// Creates a customer managed key: symmetric encryption, RSA (encryption or signing), ECC (signing) or HMAC, with KMS's
    /// KeySpec/KeyUsage rules (<see cref="KeySpecs"/>); key specs and features Cairn does not serve are UnsupportedOperationException.
    /// </summary>
    public async Task<KeyRecord> CreateKeyAsync(RequestContext context, CreateKeyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);

        var keySpec = request.KeySpec ?? KeyRecord.SymmetricDefault;
        var keyUsage = CheckKeyUsage(keySpec, request.KeyUsage);
        var origin = request.Origin ?? KeyRecord.AwsKmsOrigin;

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
        return await keys.CreateKeyAsync(ScopeOf(context), request.Description ?? string.Empty, request.Policy, request.Tags, keySpec, keyUsage, cancellationToken);
    }

    /// <summary>The key usage a new key gets: required for every key spec but SYMMETRIC_DEFAULT, and one the spec takes.</summary>
    private static string CheckKeyUsage(string keySpec, string? keyUsage)
    {
        var usages = KeySpecs.UsagesOf(keySpec);
        if (usages.Count == 0)
        {
            throw AwsErrors.KmsKeySpecUnsupported(keySpec);
        }

        if (keyUsage is null)
        {
            return keySpec == KeySpecs.SymmetricDefault ? KeySpecs.EncryptDecrypt : throw AwsErrors.KmsKeyUsageRequired(keySpec, usages);
        }

        if (keyUsage == KeySpecs.KeyAgreement && KeySpecs.IsEcc(keySpec) && keySpec != "ECC_SECG_P256K1")
        {
            throw AwsErrors.KmsKeyAgreementUnsupported(keySpec);
        }

        return usages.Contains(keyUsage) ? keyUsage : throw AwsErrors.KmsKeyUsageIncompatible(keyUsage, keySpec, usages);
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
