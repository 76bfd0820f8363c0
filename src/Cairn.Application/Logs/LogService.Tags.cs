using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Application.Logs;

/// <summary>
/// Log group tags: by ARN (TagResource, UntagResource, ListTagsForResource) and by name (the older TagLogGroup,
/// UntagLogGroup, ListTagsLogGroup, deprecated by AWS, still served by it).
/// </summary>
public sealed partial class LogService
{
    private const int MaxTags = 50;

    public async Task TagResourceAsync(RequestContext context, string arn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "logs:TagResource", arn, cancellationToken);
        await AddTagsAsync(context, GroupOfArn(context, arn), tags, cancellationToken);
    }

    public async Task UntagResourceAsync(RequestContext context, string arn, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "logs:UntagResource", arn, cancellationToken);
        await RemoveTagsAsync(context, GroupOfArn(context, arn), keys, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, string>> ListTagsForResourceAsync(RequestContext context, string arn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "logs:ListTagsForResource", arn, cancellationToken);
        return (await GroupAsync(context, GroupOfArn(context, arn), cancellationToken)).Tags;
    }

    public async Task TagLogGroupAsync(RequestContext context, string group, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "logs:TagLogGroup", ScopeOf(context).LogGroupArn(group), cancellationToken);
        await AddTagsAsync(context, group, tags, cancellationToken);
    }

    public async Task UntagLogGroupAsync(RequestContext context, string group, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "logs:UntagLogGroup", ScopeOf(context).LogGroupArn(group), cancellationToken);
        await RemoveTagsAsync(context, group, keys, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, string>> ListTagsLogGroupAsync(RequestContext context, string group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "logs:ListTagsLogGroup", ScopeOf(context).LogGroupArn(group), cancellationToken);
        return (await GroupAsync(context, group, cancellationToken)).Tags;
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
}
