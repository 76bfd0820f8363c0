using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;

namespace Cairn.Application.Identity;

/// <summary>Tag rules the IAM model cannot say (lengths, patterns and the 50-tag bound are the validator's).</summary>
public static class IamTags
{
    /// <summary>An entity carries at most 50 tags, counting those it already has.</summary>
    public const int MaxPerEntity = 50;

    /// <summary>No key twice in one request, ignoring case: InvalidInput, as IAM says it.</summary>
    public static IReadOnlyList<IamTag> EnsureUniqueKeys(IReadOnlyList<IamTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Select(t => t.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count() != tags.Count)
        {
            throw AwsErrors.DuplicateTagKeys();
        }

        return tags;
    }
}
