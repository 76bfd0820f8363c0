using System.Text.Json.Nodes;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>TagResource, UntagResource, ListResourceTags.</summary>
internal sealed partial class KmsService
{
    private async Task<JsonObject> TagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.TagResource);
        await keys.TagResourceAsync(context, input.RequiredString("KeyId"), KmsTags.Read(input, "Tags"), cancellationToken);
        return new JsonObject();
    }

    private async Task<JsonObject> UntagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.UntagResource);
        await keys.UntagResourceAsync(context, input.RequiredString("KeyId"), input.Strings("TagKeys"), cancellationToken);
        return new JsonObject();
    }

    private async Task<JsonObject> ListResourceTagsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.KeyPage);
        var page = await keys.ListResourceTagsAsync(context, input.RequiredString("KeyId"), input.Int("Limit") ?? 50, DecodeMarker(input.String("Marker")), cancellationToken);
        return Page("Tags", page, tag => new JsonObject { ["TagKey"] = tag.TagKey, ["TagValue"] = tag.TagValue });
    }
}
