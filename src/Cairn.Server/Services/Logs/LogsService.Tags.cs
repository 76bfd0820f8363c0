using System.Text.Json.Nodes;
using Cairn.Core.Identity;

namespace Cairn.Server.Services.Logs;

/// <summary>
/// Log group tags: TagResource, UntagResource, ListTagsForResource by ARN, and the older TagLogGroup, UntagLogGroup,
/// ListTagsLogGroup by name (deprecated by AWS, still served by it).
/// </summary>
internal sealed partial class LogsService
{
    private async Task<JsonObject> TagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.TagResource);
        await logs.TagResourceAsync(context, input["resourceArn"]!.GetValue<string>(), TagsOf(input["tags"]), cancellationToken);
        return [];
    }

    private async Task<JsonObject> UntagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.UntagResource);
        await logs.UntagResourceAsync(context, input["resourceArn"]!.GetValue<string>(), Strings(input["tagKeys"]), cancellationToken);
        return [];
    }

    private async Task<JsonObject> ListTagsForResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.ListTagsForResource);
        return new JsonObject { ["tags"] = TagsJson(await logs.ListTagsForResourceAsync(context, input["resourceArn"]!.GetValue<string>(), cancellationToken)) };
    }

    private async Task<JsonObject> TagLogGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.TagLogGroup);
        await logs.TagLogGroupAsync(context, input["logGroupName"]!.GetValue<string>(), TagsOf(input["tags"]), cancellationToken);
        return [];
    }

    private async Task<JsonObject> UntagLogGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.UntagLogGroup);
        await logs.UntagLogGroupAsync(context, input["logGroupName"]!.GetValue<string>(), Strings(input["tags"]), cancellationToken);
        return [];
    }

    private async Task<JsonObject> ListTagsLogGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GroupOnly);
        return new JsonObject { ["tags"] = TagsJson(await logs.ListTagsLogGroupAsync(context, input["logGroupName"]!.GetValue<string>(), cancellationToken)) };
    }

    private static List<string> Strings(JsonNode? list) => list!.AsArray().Select(k => k!.GetValue<string>()).ToList();

    private static Dictionary<string, string> TagsOf(JsonNode? tags) =>
        tags is JsonObject map ? map.ToDictionary(t => t.Key, t => t.Value!.GetValue<string>(), StringComparer.Ordinal) : [];

    private static JsonObject TagsJson(IReadOnlyDictionary<string, string> tags)
    {
        var json = new JsonObject();
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            json[key] = value;
        }

        return json;
    }
}
