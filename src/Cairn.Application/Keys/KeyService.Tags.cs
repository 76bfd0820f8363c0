using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>TagResource, UntagResource, ListResourceTags.</summary>
public sealed partial class KeyService
{
    public const int MaxTags = 50;

    /// <summary>Adds or replaces tags (a key a tag already has takes the new value); at most 50 per key.</summary>
    public async Task TagResourceAsync(RequestContext context, string keyId, IReadOnlyList<KeyTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tags);
        var key = await ManagedKeyAsync(context, keyId, "kms:TagResource", cancellationToken);
        await UpdateAsync(key, found =>
        {
            NotPendingDeletion(found);
            var merged = found.Tags.Where(t => !tags.Any(n => n.TagKey == t.TagKey)).Concat(tags).ToList();
            return merged.Count > MaxTags ? throw AwsErrors.KmsTooManyTags(merged.Count) : found with { Tags = merged };
        }, cancellationToken);
    }

    /// <summary>Removes tags by key; keys the key does not have are ignored, as in AWS.</summary>
    public async Task UntagResourceAsync(RequestContext context, string keyId, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tagKeys);
        if (tagKeys.Any(k => k.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)))
        {
            throw AwsErrors.KmsReservedTag();
        }

        var key = await ManagedKeyAsync(context, keyId, "kms:UntagResource", cancellationToken);
        await UpdateAsync(key, found => NotPendingDeletion(found) with { Tags = found.Tags.Where(t => !tagKeys.Contains(t.TagKey)).ToList() }, cancellationToken);
    }

    /// <summary>The key's tags in key order, a page after <paramref name="afterTagKey"/>.</summary>
    public async Task<KeyListPage<KeyTag>> ListResourceTagsAsync(RequestContext context, string keyId, int limit, string? afterTagKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await AuthorizedKeyAsync(context, keyId, "kms:ListResourceTags", allowAlias: false, cancellationToken);
        var found = key.Tags.OrderBy(t => t.TagKey, StringComparer.Ordinal)
            .Where(t => afterTagKey is null || string.CompareOrdinal(t.TagKey, afterTagKey) > 0).Take(limit + 1).ToList();
        return Page(found, limit, tag => tag.TagKey);
    }
}
