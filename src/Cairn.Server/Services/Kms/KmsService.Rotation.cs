using System.Text.Json.Nodes;
using Cairn.Core.Identity;
using Cairn.Core.Keys;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations.</summary>
internal sealed partial class KmsService
{
    private async Task<JsonObject> EnableKeyRotationAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.EnableKeyRotation);
        await keys.EnableKeyRotationAsync(context, input.RequiredString("KeyId"), input.Int("RotationPeriodInDays"), cancellationToken);
        return new JsonObject();
    }

    private async Task<JsonObject> DisableKeyRotationAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.KeyOnly);
        await keys.DisableKeyRotationAsync(context, input.RequiredString("KeyId"), cancellationToken);
        return new JsonObject();
    }

    private async Task<JsonObject> GetKeyRotationStatusAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.KeyOnly);
        var key = await keys.GetKeyRotationStatusAsync(context, input.RequiredString("KeyId"), cancellationToken);
        var output = new JsonObject { ["KeyRotationEnabled"] = key.RotationPeriodInDays is not null, ["KeyId"] = key.Arn };
        if (key.RotationPeriodInDays is { } days)
        {
            output["RotationPeriodInDays"] = days;
            output["NextRotationDate"] = Timestamp(key.NextRotationDate!.Value);
        }

        if (key.Rotations.LastOrDefault(r => r.RotationType == KeyMaterialVersion.OnDemand) is { } onDemand)
        {
            output["OnDemandRotationStartDate"] = Timestamp(onDemand.RotationDate);
        }

        return output;
    }

    private async Task<JsonObject> RotateKeyOnDemandAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.KeyOnly);
        var key = await keys.RotateKeyOnDemandAsync(context, input.RequiredString("KeyId"), cancellationToken);
        return new JsonObject { ["KeyId"] = key.KeyId };
    }

    private async Task<JsonObject> ListKeyRotationsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.KeyPage);
        var includeOriginal = input.String("IncludeKeyMaterial") == "ALL_KEY_MATERIAL";
        var (key, page) = await keys.ListKeyRotationsAsync(
            context, input.RequiredString("KeyId"), includeOriginal, input.Int("Limit") ?? 100, DecodeMarker(input.String("Marker")), cancellationToken);
        return Page("Rotations", page, rotation =>
        {
            var entry = new JsonObject
            {
                ["KeyId"] = key.KeyId,
                ["KeyMaterialId"] = KeyMaterialVersion.MaterialId(key.KeyId, rotation.Version),
                ["KeyMaterialState"] = rotation.Version == key.CurrentMaterialVersion ? "CURRENT" : "NON_CURRENT",
            };
            if (rotation.Version > 0)
            {
                entry["RotationDate"] = Timestamp(rotation.RotationDate);
                entry["RotationType"] = rotation.RotationType;
            }

            return entry;
        });
    }
}
