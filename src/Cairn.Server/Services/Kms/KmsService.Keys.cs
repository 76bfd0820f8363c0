using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey.</summary>
internal sealed partial class KmsService
{
    private async Task<JsonObject> CreateKeyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.CreateKey);
        var policy = input.String("Policy");
        if (policy is not null)
        {
            CheckPolicyIsJson(policy);
        }

        var description = input.String("Description") ?? string.Empty;
        var keyUsage = input.String("KeyUsage") ?? KeyRecord.EncryptDecrypt;
        var keySpec = input.String("KeySpec") ?? input.String("CustomerMasterKeySpec") ?? KeyRecord.SymmetricDefault;
        var origin = input.String("Origin") ?? KeyRecord.AwsKmsOrigin;
        var tags = KmsTags.Read(input, "Tags");

        if (keySpec != KeyRecord.SymmetricDefault || keyUsage != KeyRecord.EncryptDecrypt)
        {
            throw AwsErrors.KmsUnsupported(
                $"Cairn supports symmetric encryption keys only (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT); this request asked for KeySpec {keySpec} with KeyUsage {keyUsage}.");
        }

        if (origin != KeyRecord.AwsKmsOrigin || input.String("CustomKeyStoreId") is not null || input.String("XksKeyId") is not null)
        {
            throw AwsErrors.KmsUnsupported($"Cairn generates all key material itself (Origin AWS_KMS); Origin {origin} and custom key stores are not supported.");
        }

        if (input.Bool("MultiRegion"))
        {
            throw AwsErrors.KmsUnsupported("Cairn does not support multi-Region keys; create the key without MultiRegion.");
        }

        await authorizer.AuthorizeAsync(context, "kms:CreateKey", "*", cancellationToken);
        var key = await keys.CreateKeyAsync(ScopeOf(context), description, policy, tags, cancellationToken);
        return new JsonObject { ["KeyMetadata"] = KeyMetadata(key) };
    }

    private async Task<JsonObject> DescribeKeyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.KeyOnly);
        var key = await AuthorizedKeyAsync(context, input.RequiredString("KeyId"), "kms:DescribeKey", allowAlias: true, cancellationToken);
        return new JsonObject { ["KeyMetadata"] = KeyMetadata(key) };
    }

    private async Task<JsonObject> ListKeysAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.ListKeys);
        var limit = input.Int("Limit") ?? 100;
        var after = DecodeMarker(input.String("Marker"));
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
        InputValidator.Validate(input, KmsShapes.KeyOnly);
        var key = await AuthorizedKeyAsync(context, input.RequiredString("KeyId"), action, allowAlias: false, cancellationToken);
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
