using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Server.Services.Kms;

/// <summary>CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey.</summary>
internal sealed partial class KmsService
{
    private static readonly string[] KeyUsages = ["SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"];

    private static readonly string[] KeySpecs =
    [
        "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "SYMMETRIC_DEFAULT",
        "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519",
    ];

    private static readonly string[] Origins = ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"];

    private async Task<JsonObject> CreateKeyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        var policy = KmsInput.OptionalString(input, "Policy");
        if (policy is not null)
        {
            KmsInput.CheckLength(policy, "Policy", 1, 131072);
            CheckPolicyIsJson(policy);
        }

        var description = KmsInput.CheckLength(KmsInput.OptionalString(input, "Description") ?? string.Empty, "Description", 0, 8192);
        var keyUsage = KmsInput.CheckEnum(KmsInput.OptionalString(input, "KeyUsage"), "KeyUsage", KeyUsages) ?? KeyRecord.EncryptDecrypt;
        var keySpec = KmsInput.CheckEnum(KmsInput.OptionalString(input, "KeySpec"), "KeySpec", KeySpecs)
            ?? KmsInput.CheckEnum(KmsInput.OptionalString(input, "CustomerMasterKeySpec"), "CustomerMasterKeySpec", KeySpecs[..13])
            ?? KeyRecord.SymmetricDefault;
        var origin = KmsInput.CheckEnum(KmsInput.OptionalString(input, "Origin"), "Origin", Origins) ?? KeyRecord.AwsKmsOrigin;
        var tags = KmsInput.Tags(input, "Tags");
        KmsInput.OptionalBool(input, "BypassPolicyLockoutSafetyCheck");

        if (keySpec != KeyRecord.SymmetricDefault || keyUsage != KeyRecord.EncryptDecrypt)
        {
            throw AwsErrors.KmsUnsupported(
                $"Cairn supports symmetric encryption keys only (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT); this request asked for KeySpec {keySpec} with KeyUsage {keyUsage}.");
        }

        if (origin != KeyRecord.AwsKmsOrigin || KmsInput.OptionalString(input, "CustomKeyStoreId") is not null || KmsInput.OptionalString(input, "XksKeyId") is not null)
        {
            throw AwsErrors.KmsUnsupported($"Cairn generates all key material itself (Origin AWS_KMS); Origin {origin} and custom key stores are not supported.");
        }

        if (KmsInput.OptionalBool(input, "MultiRegion") == true)
        {
            throw AwsErrors.KmsUnsupported("Cairn does not support multi-Region keys; create the key without MultiRegion.");
        }

        await authorizer.AuthorizeAsync(context, "kms:CreateKey", "*", cancellationToken);
        var key = await keys.CreateKeyAsync(ScopeOf(context), description, policy, tags, cancellationToken);
        return new JsonObject { ["KeyMetadata"] = KeyMetadata(key) };
    }

    private async Task<JsonObject> DescribeKeyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        var keyId = KmsInput.CheckLength(KmsInput.RequiredString(input, "KeyId"), "KeyId", 1, 2048);
        var key = await AuthorizedKeyAsync(context, keyId, "kms:DescribeKey", allowAlias: true, cancellationToken);
        return new JsonObject { ["KeyMetadata"] = KeyMetadata(key) };
    }

    private async Task<JsonObject> ListKeysAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        var limit = KmsInput.OptionalInt(input, "Limit", 1, 1000) ?? 100;
        var after = DecodeMarker(KmsInput.OptionalString(input, "Marker"));
        await authorizer.AuthorizeAsync(context, "kms:ListKeys", "*", cancellationToken);

        var found = await store.ListKeysAsync(ScopeOf(context), after, limit + 1, cancellationToken);
        var page = found.Take(limit).ToList();
        var items = new JsonArray();
        foreach (var key in page)
        {
            items.Add(new JsonObject { ["KeyId"] = key.KeyId, ["KeyArn"] = key.Arn });
        }

        return Page("Keys", items, found.Count > limit ? EncodeMarker(page[^1].KeyId) : null);
    }

    private async Task<JsonObject> SetEnabledAsync(JsonObject input, RequestContext context, bool enabled, CancellationToken cancellationToken)
    {
        var action = enabled ? "kms:EnableKey" : "kms:DisableKey";
        var keyId = KmsInput.CheckLength(KmsInput.RequiredString(input, "KeyId"), "KeyId", 1, 2048);
        var key = await AuthorizedKeyAsync(context, keyId, action, allowAlias: false, cancellationToken);
        DenyAwsManaged(context, key, action);
        if (key.Enabled != enabled && !await store.SetEnabledAsync(key.Scope, key.KeyId, enabled, time.GetUtcNow(), cancellationToken))
        {
            throw AwsErrors.KmsKeyNotFound(key.Arn);
        }

        return new JsonObject();
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
