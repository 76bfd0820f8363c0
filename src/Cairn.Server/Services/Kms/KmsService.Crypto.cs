using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cairn.Application.Keys;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>Encrypt, Decrypt, ReEncrypt (symmetric and RSA keys), GenerateDataKey (and its WithoutPlaintext twin), GenerateRandom. Plaintext bytes are zeroed once written.</summary>
internal sealed partial class KmsService
{
    private async Task<JsonObject> EncryptAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.Encrypt);
        var plaintext = input.RequiredBlob("Plaintext");
        try
        {
            var request = new EncryptRequest(input.RequiredString("KeyId"), plaintext, input.StringMap("EncryptionContext"), input.String("EncryptionAlgorithm"), input.Bool("DryRun"));
            var result = await keys.EncryptAsync(context, request, cancellationToken);
            return new JsonObject
            {
                ["CiphertextBlob"] = Convert.ToBase64String(result.CiphertextBlob),
                ["KeyId"] = result.KeyArn,
                ["EncryptionAlgorithm"] = result.EncryptionAlgorithm,
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
        RefuseRecipient(input);
        var request = new DecryptRequest(input.RequiredBlob("CiphertextBlob"), input.StringMap("EncryptionContext"), input.String("KeyId"), input.String("EncryptionAlgorithm"), input.Bool("DryRun"));
        var result = await keys.DecryptAsync(context, request, cancellationToken);
        try
        {
            return new JsonObject
            {
                ["KeyId"] = result.KeyArn,
                ["Plaintext"] = Convert.ToBase64String(result.Plaintext),
                ["EncryptionAlgorithm"] = result.EncryptionAlgorithm,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(result.Plaintext);
        }
    }

    private async Task<JsonObject> GenerateDataKeyAsync(JsonObject input, RequestContext context, bool withPlaintext, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.GenerateDataKey);
        RefuseRecipient(input);
        var request = new GenerateDataKeyRequest(
            input.RequiredString("KeyId"), input.StringMap("EncryptionContext"), input.Int("NumberOfBytes"), input.String("KeySpec"), withPlaintext, input.Bool("DryRun"));
        var result = await keys.GenerateDataKeyAsync(context, request, cancellationToken);
        var output = new JsonObject
        {
            ["CiphertextBlob"] = Convert.ToBase64String(result.CiphertextBlob),
            ["KeyId"] = result.KeyArn,
        };
        if (result.Plaintext is { } dataKey)
        {
            try
            {
                output["Plaintext"] = Convert.ToBase64String(dataKey);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
        }

        return output;
    }

    private async Task<JsonObject> ReEncryptAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.ReEncrypt);
        var request = new ReEncryptRequest(
            input.RequiredBlob("CiphertextBlob"), input.StringMap("SourceEncryptionContext"), input.String("SourceKeyId"), input.RequiredString("DestinationKeyId"),
            input.StringMap("DestinationEncryptionContext"), input.String("SourceEncryptionAlgorithm"), input.String("DestinationEncryptionAlgorithm"), input.Bool("DryRun"));
        var result = await keys.ReEncryptAsync(context, request, cancellationToken);
        var output = new JsonObject
        {
            ["CiphertextBlob"] = Convert.ToBase64String(result.CiphertextBlob),
            ["SourceKeyId"] = result.SourceKeyArn,
            ["KeyId"] = result.KeyArn,
            ["SourceEncryptionAlgorithm"] = result.SourceEncryptionAlgorithm,
            ["DestinationEncryptionAlgorithm"] = result.DestinationEncryptionAlgorithm,
        };
        if (result.SourceKeyMaterialId is { } sourceMaterial)
        {
            output["SourceKeyMaterialId"] = sourceMaterial;
        }

        if (result.DestinationKeyMaterialId is { } destinationMaterial)
        {
            output["DestinationKeyMaterialId"] = destinationMaterial;
        }

        return output;
    }

    private async Task<JsonObject> GenerateRandomAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.GenerateRandom);
        RefuseRecipient(input);
        if (input["CustomKeyStoreId"] is not null)
        {
            throw AwsErrors.KmsUnsupported("Cairn has no custom key stores; call GenerateRandom without CustomKeyStoreId.");
        }

        var random = await keys.GenerateRandomAsync(context, input.Int("NumberOfBytes"), cancellationToken);
        try
        {
            return new JsonObject { ["Plaintext"] = Convert.ToBase64String(random) };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(random);
        }
    }

    private static void RefuseRecipient(JsonObject input)
    {
        if (input["Recipient"] is not null)
        {
            throw AwsErrors.KmsUnsupported("Cairn does not support Recipient (Nitro Enclaves attestation).");
        }
    }
}
