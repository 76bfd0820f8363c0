using System.Text.Json.Nodes;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>CreateAlias, ListAliases, UpdateAlias, DeleteAlias.</summary>
internal sealed partial class KmsService
{
    private async Task<JsonObject> CreateAliasAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.CreateAlias);
        await keys.CreateAliasAsync(context, input.RequiredString("AliasName"), input.RequiredString("TargetKeyId"), cancellationToken);
        return new JsonObject();
    }

    private async Task<JsonObject> ListAliasesAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.ListAliases);
        var keyId = input.String("KeyId");
        var limit = input.Int("Limit") ?? 50;
        var after = DecodeMarker(input.String("Marker"));
        var page = await keys.ListAliasesAsync(context, keyId, limit, after, cancellationToken);
        return Page("Aliases", page, alias => new JsonObject
        {
            ["AliasName"] = alias.AliasName,
            ["AliasArn"] = alias.Arn,
            ["TargetKeyId"] = alias.TargetKeyId,
            ["CreationDate"] = Timestamp(alias.CreatedAt),
            ["LastUpdatedDate"] = Timestamp(alias.UpdatedAt),
        });
    }

    private async Task<JsonObject> UpdateAliasAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.UpdateAlias);
        await keys.UpdateAliasAsync(context, input.RequiredString("AliasName"), input.RequiredString("TargetKeyId"), cancellationToken);
        return new JsonObject();
    }

    private async Task<JsonObject> DeleteAliasAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.DeleteAlias);
        await keys.DeleteAliasAsync(context, input.RequiredString("AliasName"), cancellationToken);
        return new JsonObject();
    }
}
