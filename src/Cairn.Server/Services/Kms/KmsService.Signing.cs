using System.Text.Json.Nodes;
using Cairn.Application.Keys;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>GetPublicKey, Sign, Verify (asymmetric keys); GenerateMac, VerifyMac (HMAC keys).</summary>
internal sealed partial class KmsService
{
    private async Task<JsonObject> GetPublicKeyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.GetPublicKey);
        var result = await keys.GetPublicKeyAsync(context, input.RequiredString("KeyId"), cancellationToken);
        var key = result.Key;
        var output = new JsonObject
        {
            ["KeyId"] = key.Arn,
            ["PublicKey"] = Convert.ToBase64String(result.PublicKey),
            ["CustomerMasterKeySpec"] = key.KeySpec,
            ["KeySpec"] = key.KeySpec,
            ["KeyUsage"] = key.KeyUsage,
        };
        AddAlgorithms(output, key);
        return output;
    }

    private async Task<JsonObject> SignAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.Sign);
        var result = await keys.SignAsync(context, SignRequestOf(input, signature: null), cancellationToken);
        return new JsonObject
        {
            ["KeyId"] = result.KeyArn,
            ["Signature"] = Convert.ToBase64String(result.Signature),
            ["SigningAlgorithm"] = result.SigningAlgorithm,
        };
    }

    private async Task<JsonObject> VerifyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.Verify);
        var request = SignRequestOf(input, input.RequiredBlob("Signature"));
        var key = await keys.VerifyAsync(context, request, cancellationToken);
        return new JsonObject { ["KeyId"] = key.Arn, ["SignatureValid"] = true, ["SigningAlgorithm"] = request.SigningAlgorithm };
    }

    private async Task<JsonObject> GenerateMacAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.GenerateMac);
        var result = await keys.GenerateMacAsync(context, MacRequestOf(input, mac: null), cancellationToken);
        return new JsonObject { ["Mac"] = Convert.ToBase64String(result.Mac!), ["MacAlgorithm"] = result.MacAlgorithm, ["KeyId"] = result.KeyArn };
    }

    private async Task<JsonObject> VerifyMacAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.VerifyMac);
        var result = await keys.VerifyMacAsync(context, MacRequestOf(input, input.RequiredBlob("Mac")), cancellationToken);
        return new JsonObject { ["KeyId"] = result.KeyArn, ["MacValid"] = true, ["MacAlgorithm"] = result.MacAlgorithm };
    }

    private static SignRequest SignRequestOf(JsonObject input, byte[]? signature) => new(
        input.RequiredString("KeyId"), input.RequiredBlob("Message"), input.String("MessageType"), input.RequiredString("SigningAlgorithm"), signature, input.Bool("DryRun"));

    private static MacRequest MacRequestOf(JsonObject input, byte[]? mac) =>
        new(input.RequiredString("KeyId"), input.RequiredBlob("Message"), input.RequiredString("MacAlgorithm"), mac, input.Bool("DryRun"));
}
