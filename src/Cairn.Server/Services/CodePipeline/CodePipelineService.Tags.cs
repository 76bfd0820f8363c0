using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Server.Services.CodePipeline;

internal sealed partial class CodePipelineService
{
    private async Task<JsonObject> TagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.TagResource);
        await pipelines.TagAsync(context, Text(input, "resourceArn")!, CodePipelineJson.ReadTags(input["tags"]), cancellationToken);
        return [];
    }

    private async Task<JsonObject> UntagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.UntagResource);
        var keys = input["tagKeys"]!.AsArray().Select(k => k!.GetValue<string>()).ToList();
        await pipelines.UntagAsync(context, Text(input, "resourceArn")!, keys, cancellationToken);
        return [];
    }

    private async Task<JsonObject> ListTagsForResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.ListTagsForResource);
        var offset = DecodeOffset(Text(input, "nextToken"));
        var limit = Number(input, "maxResults") ?? DefaultPageSize;
        var tags = await pipelines.ListTagsAsync(context, Text(input, "resourceArn")!, cancellationToken);
        var result = new JsonObject { ["tags"] = CodePipelineJson.Tags(tags.Skip(offset).Take(limit)) };
        if (offset + limit < tags.Count)
        {
            result["nextToken"] = EncodeOffset(offset + limit);
        }

        return result;
    }

    /// <summary>One page: Cairn's list of AWS's action types is short, so a token never comes back and any token given is not one of ours.</summary>
    private async Task<JsonObject> ListActionTypesAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.ListActionTypes);
        if (Text(input, "nextToken") is not null)
        {
            throw AwsErrors.CodePipelineInvalidNextToken();
        }

        var types = await pipelines.ListActionTypesAsync(context, Text(input, "actionOwnerFilter"), cancellationToken);
        return new JsonObject { ["actionTypes"] = new JsonArray(types.Select(t => (JsonNode)CodePipelineJson.ActionType(t)).ToArray()) };
    }
}
