using System.Text.Json;
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
        if (request.Policy is not null)
        {
            CheckPolicyIsJson(request.Policy);
        }

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
        var found = await store.ListKeysAsync(ScopeOf(context), afterKeyId, limit + 1, cancellationToken);
        return Page(found, limit, key => key.KeyId);
    }

    /// <summary>EnableKey (<paramref name="enabled"/>) or DisableKey; a key id or key ARN, not an alias.</summary>
    public async Task SetEnabledAsync(RequestContext context, string keyId, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var action = enabled ? "kms:EnableKey" : "kms:DisableKey";
        var key = await AuthorizedKeyAsync(context, keyId, action, allowAlias: false, cancellationToken);
        DenyAwsManaged(context, key, action);
        if (key.Enabled != enabled && !await store.SetEnabledAsync(key.Scope, key.KeyId, enabled, time.GetUtcNow(), cancellationToken))
        {
            throw AwsErrors.KmsKeyNotFound(key.Arn);
        }
    }

    private static void CheckPolicyIsJson(string policy)
    {
        try
        {
            using var document = JsonDocument.Parse(policy);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw AwsErrors.KmsMalformedPolicy("The key policy must be a JSON object.");
            }
        }
        catch (JsonException)
        {
            throw AwsErrors.KmsMalformedPolicy("The key policy is not valid JSON.");
        }
    }
}
