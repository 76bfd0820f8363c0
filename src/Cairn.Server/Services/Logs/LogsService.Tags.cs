using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Server.Services.Logs;

/// <summary>
/// Log group tags: TagResource, UntagResource, ListTagsForResource by ARN, and the older TagLogGroup, UntagLogGroup,
/// ListTagsLogGroup by name (deprecated by AWS, still served by it).
/// </summary>
internal sealed partial class LogsService
{
    private const int MaxTags = 50;

    private async Task<JsonObject> TagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.TagResource);
        var arn = input["resourceArn"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:TagResource", arn, cancellationToken);
        await AddTagsAsync(context, GroupOfArn(context, arn), TagsOf(input["tags"]), cancellationToken);
        return [];
    }

    private async Task<JsonObject> UntagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.UntagResource);
        var arn = input["resourceArn"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:UntagResource", arn, cancellationToken);
        await RemoveTagsAsync(context, GroupOfArn(context, arn), input["tagKeys"]!.AsArray().Select(k => k!.GetValue<string>()), cancellationToken);
        return [];
    }

    private async Task<JsonObject> ListTagsForResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.ListTagsForResource);
        var arn = input["resourceArn"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:ListTagsForResource", arn, cancellationToken);
        return new JsonObject { ["tags"] = TagsJson((await GroupAsync(context, GroupOfArn(context, arn), cancellationToken)).Tags) };
    }

    private async Task<JsonObject> TagLogGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.TagLogGroup);
        var group = input["logGroupName"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:TagLogGroup", ScopeOf(context).LogGroupArn(group), cancellationToken);
        await AddTagsAsync(context, group, TagsOf(input["tags"]), cancellationToken);
        return [];
    }

    private async Task<JsonObject> UntagLogGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.UntagLogGroup);
        var group = input["logGroupName"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:UntagLogGroup", ScopeOf(context).LogGroupArn(group), cancellationToken);
        await RemoveTagsAsync(context, group, input["tags"]!.AsArray().Select(k => k!.GetValue<string>()), cancellationToken);
        return [];
    }

    private async Task<JsonObject> ListTagsLogGroupAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.GroupOnly);
        var group = input["logGroupName"]!.GetValue<string>();
        await authorizer.AuthorizeAsync(context, "logs:ListTagsLogGroup", ScopeOf(context).LogGroupArn(group), cancellationToken);
        return new JsonObject { ["tags"] = TagsJson((await GroupAsync(context, group, cancellationToken)).Tags) };
    }

    private async Task AddTagsAsync(RequestContext context, string group, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var changed = await store.UpdateTagsAsync(context.AccountId, context.Region, group, current =>
        {
            var merged = new Dictionary<string, string>(current, StringComparer.Ordinal);
            foreach (var (key, value) in tags)
            {
                merged[key] = value;
            }

            return merged.Count > MaxTags ? throw AwsErrors.TooManyLogTags(merged.Count) : merged;
        }, cancellationToken);
        _ = changed ?? throw AwsErrors.LogGroupNotFound(group);
    }

    private async Task RemoveTagsAsync(RequestContext context, string group, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var removed = keys.ToHashSet(StringComparer.Ordinal);
        var changed = await store.UpdateTagsAsync(
            context.AccountId, context.Region, group, current => current.Where(t => !removed.Contains(t.Key)).ToDictionary(StringComparer.Ordinal), cancellationToken);
        _ = changed ?? throw AwsErrors.LogGroupNotFound(group);
    }

    /// <summary>The log group an ARN of this account and region names (a trailing :* allowed); CloudWatch Logs tags only log groups here.</summary>
    private static string GroupOfArn(RequestContext context, string arn)
    {
        var prefix = ScopeOf(context).LogGroupArn(string.Empty);
        if (!arn.StartsWith(prefix, StringComparison.Ordinal) || arn.Length == prefix.Length)
        {
            throw arn.StartsWith("arn:aws:logs:", StringComparison.Ordinal) && arn.Contains(":log-group:", StringComparison.Ordinal)
                ? AwsErrors.LogGroupNotFound(arn)
                : AwsErrors.InvalidLogsResourceArn(arn);
        }

        var group = arn[prefix.Length..];
        return group.EndsWith(":*", StringComparison.Ordinal) ? group[..^2] : group;
    }

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
