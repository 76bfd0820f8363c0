using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Server.Services.Kms;

/// <summary>Encrypt, Decrypt, GenerateDataKey (and its WithoutPlaintext twin), symmetric only.</summary>
internal sealed partial class KmsService
{
    private const int MaxPlaintext = 4096;
    private const int MaxCiphertext = 6144;

    private static readonly string[] EncryptionAlgorithms = ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"];

    private async Task<JsonObject> EncryptAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        var keyId = KmsInput.CheckLength(KmsInput.RequiredString(input, "KeyId"), "KeyId", 1, 2048);
        var plaintext = KmsInput.RequiredBlob(input, "Plaintext", 1, MaxPlaintext);
        var encryptionContext = KmsInput.StringMap(input, "EncryptionContext");
        var algorithm = KmsInput.CheckEnum(KmsInput.OptionalString(input, "EncryptionAlgorithm"), "EncryptionAlgorithm", EncryptionAlgorithms);
        var dryRun = KmsInput.OptionalBool(input, "DryRun") == true;
        try
        {
            var key = await UsableKeyAsync(context, keyId, "kms:Encrypt", "Encrypt", algorithm, cancellationToken);
            if (dryRun)
            {
                throw AwsErrors.KmsDryRun();
            }

            return new JsonObject
            {
                ["CiphertextBlob"] = Convert.ToBase64String(keys.Encrypt(key, plaintext, encryptionContext)),
                ["KeyId"] = key.Arn,
                ["EncryptionAlgorithm"] = SymmetricDefault,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private async Task<JsonObject> DecryptAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        var blob = KmsInput.RequiredBlob(input, "CiphertextBlob", 1, MaxCiphertext);
        var encryptionContext = KmsInput.StringMap(input, "EncryptionContext");
        var keyId = KmsInput.OptionalString(input, "KeyId");
        var algorithm = KmsInput.CheckEnum(KmsInput.OptionalString(input, "EncryptionAlgorithm"), "EncryptionAlgorithm", EncryptionAlgorithms);
        var dryRun = KmsInput.OptionalBool(input, "DryRun") == true;
        if (input["Recipient"] is not null)
        {
            throw AwsErrors.KmsUnsupported("Cairn does not support Recipient (Nitro Enclaves attestation).");
        }

        var scope = ScopeOf(context);
        KeyRecord key;
        if (keyId is not null)
        {
            KmsInput.CheckLength(keyId, "KeyId", 1, 2048);
            key = await keys.ResolveAsync(scope, keyId, allowAlias: true, cancellationToken);
            if (CiphertextBlob.ReadKeyId(blob) is not { } blobKeyId)
            {
                throw AwsErrors.KmsInvalidCiphertext();
            }

            if (blobKeyId != key.KeyId)
            {
                throw AwsErrors.KmsIncorrectKey();
            }
        }
        else
        {
            key = await keys.FindCiphertextKeyAsync(scope, blob, cancellationToken) ?? throw AwsErrors.KmsInvalidCiphertext();
        }

        await authorizer.AuthorizeAsync(context, "kms:Decrypt", key.Arn, cancellationToken);
        CheckUsable(context, key, "kms:Decrypt", "Decrypt", algorithm);
        if (dryRun)
        {
            throw AwsErrors.KmsDryRun();
        }

        var plaintext = keys.Decrypt(key, blob, encryptionContext);
        try
        {
            return new JsonObject
            {
                ["KeyId"] = key.Arn,
                ["Plaintext"] = Convert.ToBase64String(plaintext),
                ["EncryptionAlgorithm"] = SymmetricDefault,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private async Task<JsonObject> GenerateDataKeyAsync(JsonObject input, RequestContext context, bool withPlaintext, CancellationToken cancellationToken)
    {
        var operation = withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";
        var keyId = KmsInput.CheckLength(KmsInput.RequiredString(input, "KeyId"), "KeyId", 1, 2048);
        var encryptionContext = KmsInput.StringMap(input, "EncryptionContext");
        var numberOfBytes = KmsInput.OptionalInt(input, "NumberOfBytes", 1, 1024);
        var keySpec = KmsInput.CheckEnum(KmsInput.OptionalString(input, "KeySpec"), "KeySpec", "AES_256", "AES_128");
        var dryRun = KmsInput.OptionalBool(input, "DryRun") == true;
        if (input["Recipient"] is not null)
        {
            throw AwsErrors.KmsUnsupported("Cairn does not support Recipient (Nitro Enclaves attestation).");
        }

        if ((numberOfBytes is null) == (keySpec is null))
        {
            throw AwsErrors.KmsDataKeySize();
        }

        var key = await UsableKeyAsync(context, keyId, "kms:" + operation, operation, algorithm: null, cancellationToken);
        if (dryRun)
        {
            throw AwsErrors.KmsDryRun();
        }

        var dataKey = RandomNumberGenerator.GetBytes(numberOfBytes ?? (keySpec == "AES_128" ? 16 : 32));
        try
        {
            var result = new JsonObject
            {
                ["CiphertextBlob"] = Convert.ToBase64String(keys.Encrypt(key, dataKey, encryptionContext)),
                ["KeyId"] = key.Arn,
            };
            if (withPlaintext)
            {
                result["Plaintext"] = Convert.ToBase64String(dataKey);
            }

            return result;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Resolve, authorize, then the checks AWS makes in order: managed-key policy, key usage, algorithm, state.</summary>
    private async Task<KeyRecord> UsableKeyAsync(RequestContext context, string keyId, string action, string operation, string? algorithm, CancellationToken cancellationToken)
    {
        var key = await AuthorizedKeyAsync(context, keyId, action, allowAlias: true, cancellationToken);
        CheckUsable(context, key, action, operation, algorithm);
        return key;
    }

    private static void CheckUsable(RequestContext context, KeyRecord key, string action, string operation, string? algorithm)
    {
        DenyAwsManaged(context, key, action);
        if (key.KeyUsage != KeyRecord.EncryptDecrypt)
        {
            throw AwsErrors.KmsInvalidKeyUsage(key.Arn, key.KeyUsage, operation);
        }

        if (algorithm is not null && algorithm != SymmetricDefault)
        {
            throw AwsErrors.KmsAlgorithmIncompatible(algorithm, key.KeySpec);
        }

        KeyService.EnsureEnabled(key);
    }
}
