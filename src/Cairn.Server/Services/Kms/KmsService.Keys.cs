using System.Text.Json.Nodes;
using Cairn.Application.Keys;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion, UpdateKeyDescription.</summary>
internal sealed partial class KmsService
{
    private async Task<JsonObject> CreateKeyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.CreateKey);
        var request = new CreateKeyRequest(
            input.String("Description"),
            input.String("Policy"),
            input.String("KeyUsage"),
            input.String("KeySpec") ?? input.String("CustomerMasterKeySpec"),
            input.String("Origin"),
            input.String("CustomKeyStoreId"),
            input.String("XksKeyId"),
            input.Bool("MultiRegion"),
            KmsTags.Read(input, "Tags"),
            input.Bool("BypassPolicyLockoutSafetyCheck"));
        var key = await keys.CreateKeyAsync(context, request, cancellationToken);
        LogKeyCreated(logger, key.Arn);
        return new JsonObject { ["KeyMetadata"] = KeyMetadata(key) };
    }

    private async Task<JsonObject> DescribeKeyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.KeyOnly);
        var key = await keys.DescribeKeyAsync(context, input.RequiredString("KeyId"), cancellationToken);
        return new JsonObject { ["KeyMetadata"] = KeyMetadata(key) };
    }

    private async Task<JsonObject> ListKeysAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.ListKeys);
        var limit = input.Int("Limit") ?? 100;
        var after = DecodeMarker(input.String("Marker"));
        var page = await keys.ListKeysAsync(context, limit, after, cancellationToken);
        return Page("Keys", page, key => new JsonObject { ["KeyId"] = key.KeyId, ["KeyArn"] = key.Arn });
    }

    private async Task<JsonObject> SetEnabledAsync(JsonObject input, RequestContext context, bool enabled, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.KeyOnly);
        await keys.SetEnabledAsync(context, input.RequiredString("KeyId"), enabled, cancellationToken);
        return new JsonObject();
    }

    private async Task<JsonObject> ScheduleKeyDeletionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.ScheduleKeyDeletion);
        var key = await keys.ScheduleKeyDeletionAsync(context, input.RequiredString("KeyId"), input.Int("PendingWindowInDays"), cancellationToken);
        return new JsonObject
        {
            ["KeyId"] = key.Arn,
            ["DeletionDate"] = Timestamp(key.DeletionDate!.Value),
            ["KeyState"] = key.KeyState,
            ["PendingWindowInDays"] = key.PendingWindowInDays,
        };
    }

    private async Task<JsonObject> CancelKeyDeletionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.KeyOnly);
        var key = await keys.CancelKeyDeletionAsync(context, input.RequiredString("KeyId"), cancellationToken);
        return new JsonObject { ["KeyId"] = key.Arn };
    }

    private async Task<JsonObject> UpdateKeyDescriptionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.UpdateKeyDescription);
        await keys.UpdateKeyDescriptionAsync(context, input.RequiredString("KeyId"), input.RequiredString("Description"), cancellationToken);
        return new JsonObject();
    }
}
