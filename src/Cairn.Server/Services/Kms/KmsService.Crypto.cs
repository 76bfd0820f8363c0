using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>Encrypt, Decrypt, GenerateDataKey (and its WithoutPlaintext twin), symmetric only.</summary>
internal sealed partial class KmsService
{
    private async Task<JsonObject> EncryptAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.Encrypt);
        var keyId = input.RequiredString("KeyId");
        var plaintext = input.RequiredBlob("Plaintext");
        var encryptionContext = input.StringMap("EncryptionContext");
        var algorithm = input.String("EncryptionAlgorithm");
        var dryRun = input.Bool("DryRun");
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
        InputValidator.Validate(input, KmsShapes.Decrypt);
        var blob = input.RequiredBlob("CiphertextBlob");
        var encryptionContext = input.StringMap("EncryptionContext");
        var keyId = input.String("KeyId");
        var algorithm = input.String("EncryptionAlgorithm");
        var dryRun = input.Bool("DryRun");
        if (input["Recipient"] is not null)
        {
            throw AwsErrors.KmsUnsupported("Cairn does not support Recipient (Nitro Enclaves attestation).");
        }

        var scope = ScopeOf(context);
        KeyRecord key;
        if (keyId is not null)
        {
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
        InputValidator.Validate(input, KmsShapes.GenerateDataKey);
        var keyId = input.RequiredString("KeyId");
        var encryptionContext = input.StringMap("EncryptionContext");
        var numberOfBytes = input.Int("NumberOfBytes");
        var keySpec = input.String("KeySpec");
        var dryRun = input.Bool("DryRun");
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
