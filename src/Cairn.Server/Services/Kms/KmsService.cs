using System.Text.Json.Nodes;
using Cairn.Application.Keys;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;
using Cairn.Server.Aws;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Services.Kms;

/// <summary>
/// The KMS API (JSON 1.1, <c>X-Amz-Target: TrentService.*</c>), an adapter over <see cref="KeyService"/>: each operation
/// checks its input against <see cref="KmsShapes"/>, calls the typed service and writes KMS's JSON. Operations live in
/// partial files by family: keys, aliases, cryptography.
/// </summary>
internal sealed partial class KmsService(KeyService keys, ILogger<KmsService> logger) : IJsonService
{
    public string TargetPrefix => "TrentService";

    public string SigningName => "kms";

    public IReadOnlyCollection<string> Operations { get; } = ["CreateKey", "DescribeKey", "ListKeys", "EnableKey", "DisableKey", "CreateAlias", "ListAliases", "Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
        "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
        "ScheduleKeyDeletion", "CancelKeyDeletion", "UpdateKeyDescription", "UpdateAlias", "DeleteAlias", "GenerateRandom",
        "TagResource", "UntagResource", "ListResourceTags", "EnableKeyRotation", "DisableKeyRotation", "GetKeyRotationStatus", "RotateKeyOnDemand",
        "ListKeyRotations", "ReEncrypt", "GetKeyPolicy", "PutKeyPolicy", "ListKeyPolicies", "GetPublicKey", "Sign", "Verify", "GenerateMac", "VerifyMac"];

    public Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "CreateKey" => CreateKeyAsync(input, context, cancellationToken),
            "DescribeKey" => DescribeKeyAsync(input, context, cancellationToken),
            "ListKeys" => ListKeysAsync(input, context, cancellationToken),
            "EnableKey" => SetEnabledAsync(input, context, enabled: true, cancellationToken),
            "DisableKey" => SetEnabledAsync(input, context, enabled: false, cancellationToken),
            "CreateAlias" => CreateAliasAsync(input, context, cancellationToken),
            "ListAliases" => ListAliasesAsync(input, context, cancellationToken),
            "Encrypt" => EncryptAsync(input, context, cancellationToken),
            "Decrypt" => DecryptAsync(input, context, cancellationToken),
            "GenerateDataKey" => GenerateDataKeyAsync(input, context, withPlaintext: true, cancellationToken),
            "GenerateDataKeyWithoutPlaintext" => GenerateDataKeyAsync(input, context, withPlaintext: false, cancellationToken),
            "GenerateDataKeyPair" => GenerateDataKeyPairAsync(input, context, withPlaintext: true, cancellationToken),
            "GenerateDataKeyPairWithoutPlaintext" => GenerateDataKeyPairAsync(input, context, withPlaintext: false, cancellationToken),
            "ScheduleKeyDeletion" => ScheduleKeyDeletionAsync(input, context, cancellationToken),
            "CancelKeyDeletion" => CancelKeyDeletionAsync(input, context, cancellationToken),
            "UpdateKeyDescription" => UpdateKeyDescriptionAsync(input, context, cancellationToken),
            "UpdateAlias" => UpdateAliasAsync(input, context, cancellationToken),
            "DeleteAlias" => DeleteAliasAsync(input, context, cancellationToken),
            "GenerateRandom" => GenerateRandomAsync(input, context, cancellationToken),
            "TagResource" => TagResourceAsync(input, context, cancellationToken),
            "UntagResource" => UntagResourceAsync(input, context, cancellationToken),
            "ListResourceTags" => ListResourceTagsAsync(input, context, cancellationToken),
            "EnableKeyRotation" => EnableKeyRotationAsync(input, context, cancellationToken),
            "DisableKeyRotation" => DisableKeyRotationAsync(input, context, cancellationToken),
            "GetKeyRotationStatus" => GetKeyRotationStatusAsync(input, context, cancellationToken),
            "RotateKeyOnDemand" => RotateKeyOnDemandAsync(input, context, cancellationToken),
            "ListKeyRotations" => ListKeyRotationsAsync(input, context, cancellationToken),
            "ReEncrypt" => ReEncryptAsync(input, context, cancellationToken),
            "GetKeyPolicy" => GetKeyPolicyAsync(input, context, cancellationToken),
            "PutKeyPolicy" => PutKeyPolicyAsync(input, context, cancellationToken),
            "ListKeyPolicies" => ListKeyPoliciesAsync(input, context, cancellationToken),
            "GetPublicKey" => GetPublicKeyAsync(input, context, cancellationToken),
            "Sign" => SignAsync(input, context, cancellationToken),
            "Verify" => VerifyAsync(input, context, cancellationToken),
            "GenerateMac" => GenerateMacAsync(input, context, cancellationToken),
            "VerifyMac" => VerifyMacAsync(input, context, cancellationToken),
            _ => throw AwsErrors.UnknownOperation("KMS", operation, Operations),
        };

    private static JsonObject KeyMetadata(KeyRecord key)
    {
        var metadata = KeyMetadataCommon(key);
        if (key.DeletionDate is { } deletionDate)
        {
            metadata["DeletionDate"] = Timestamp(deletionDate);
            metadata["PendingDeletionWindowInDays"] = key.PendingWindowInDays;
        }

        if (key.KeySpec == KeyRecord.SymmetricDefault)
        {
            metadata["CurrentKeyMaterialId"] = KeyMaterialVersion.MaterialId(key.KeyId, key.CurrentMaterialVersion);
        }

        return metadata;
    }

    private static JsonObject KeyMetadataCommon(KeyRecord key)
    {
        var metadata = new JsonObject
        {
        ["AWSAccountId"] = key.Scope.AccountId,
        ["KeyId"] = key.KeyId,
        ["Arn"] = key.Arn,
        ["CreationDate"] = Timestamp(key.CreatedAt),
        ["Enabled"] = key.Enabled,
        ["Description"] = key.Description,
        ["KeyUsage"] = key.KeyUsage,
        ["KeyState"] = key.KeyState,
        ["Origin"] = key.Origin,
        ["KeyManager"] = key.KeyManager,
        ["CustomerMasterKeySpec"] = key.KeySpec,
        ["KeySpec"] = key.KeySpec,
        };
        AddAlgorithms(metadata, key);
        metadata["MultiRegion"] = false;
        return metadata;
    }

    /// <summary>As KMS: EncryptionAlgorithms for ENCRYPT_DECRYPT keys, SigningAlgorithms for SIGN_VERIFY, MacAlgorithms for HMAC keys.</summary>
    private static void AddAlgorithms(JsonObject output, KeyRecord key)
    {
        AddList(output, "EncryptionAlgorithms", KeySpecs.EncryptionAlgorithms(key.KeySpec, key.KeyUsage));
        AddList(output, "SigningAlgorithms", KeySpecs.SigningAlgorithms(key.KeySpec, key.KeyUsage));
        AddList(output, "MacAlgorithms", KeySpecs.MacAlgorithms(key.KeySpec));
    }

    private static void AddList(JsonObject output, string member, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            output[member] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
        }
    }

    /// <summary>JSON 1.1 timestamps are epoch seconds.</summary>
    private static JsonNode Timestamp(DateTimeOffset time) => JsonValue.Create(time.ToUnixTimeMilliseconds() / 1000.0);

    /// <summary>Markers are opaque to clients: the last name returned, base64url.</summary>
    private static string EncodeMarker(string last) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(last)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? DecodeMarker(string? marker)
    {
        if (marker is null)
        {
            return null;
        }

        try
        {
            var base64 = marker.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw AwsErrors.KmsInvalidMarker();
        }
    }

    private static JsonObject Page<T>(string listMember, KeyListPage<T> page, Func<T, JsonObject> item)
    {
        var items = new JsonArray();
        foreach (var found in page.Items)
        {
            items.Add(item(found));
        }

        var result = new JsonObject { [listMember] = items, ["Truncated"] = page.NextAfter is not null };
        if (page.NextAfter is not null)
        {
            result["NextMarker"] = EncodeMarker(page.NextAfter);
        }

        return result;
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Created KMS key {KeyArn}")]
    private static partial void LogKeyCreated(ILogger logger, string keyArn);
}
