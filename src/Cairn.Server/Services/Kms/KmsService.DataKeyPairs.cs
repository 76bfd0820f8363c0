using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cairn.Application.Keys;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext. The plaintext private key is zeroed once written.</summary>
internal sealed partial class KmsService
{
    private async Task<JsonObject> GenerateDataKeyPairAsync(JsonObject input, RequestContext context, bool withPlaintext, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.GenerateDataKeyPair);
        RefuseRecipient(input);
        var request = new GenerateDataKeyPairRequest(
            input.RequiredString("KeyId"), input.StringMap("EncryptionContext"), input.RequiredString("KeyPairSpec"), withPlaintext, input.Bool("DryRun"));
        var result = await keys.GenerateDataKeyPairAsync(context, request, cancellationToken);
        var output = new JsonObject
        {
            ["PrivateKeyCiphertextBlob"] = Convert.ToBase64String(result.PrivateKeyCiphertextBlob),
            ["PublicKey"] = Convert.ToBase64String(result.PublicKey),
            ["KeyId"] = result.KeyArn,
            ["KeyPairSpec"] = result.KeyPairSpec,
        };
        if (result.KeyMaterialId is { } materialId)
        {
            output["KeyMaterialId"] = materialId;
        }

        if (result.PrivateKeyPlaintext is { } privateKey)
        {
            try
            {
                output["PrivateKeyPlaintext"] = Convert.ToBase64String(privateKey);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(privateKey);
            }
        }

        return output;
    }
}
