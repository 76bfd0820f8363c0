using Cairn.Core.Errors;
using Cairn.Core.Pipelines;

namespace Cairn.Application.Pipelines;

/// <summary>CodePipeline's tag rules: keys not starting with "aws:", each key once per request, at most 50 per pipeline.</summary>
public static class PipelineTags
{
    public const int MaxTags = 50;

    /// <summary>The tags a pipeline has after <paramref name="added"/>: a key it already has takes the new value.</summary>
    public static IReadOnlyList<PipelineTag> Merge(IReadOnlyList<PipelineTag> current, IReadOnlyList<PipelineTag> added)
    {
        Check(added);
        var merged = current.Where(t => !added.Any(a => a.Key == t.Key)).Concat(added).ToList();
        return merged.Count > MaxTags ? throw AwsErrors.PipelineTooManyTags(merged.Count) : merged;
    }

    public static IReadOnlyList<PipelineTag> Remove(IReadOnlyList<PipelineTag> current, IReadOnlyCollection<string> keys)
    {
        foreach (var key in keys.Where(IsReserved))
        {
            throw AwsErrors.PipelineReservedTagKey(key);
        }

        return current.Where(t => !keys.Contains(t.Key, StringComparer.Ordinal)).ToList();
    }

    private static void Check(IReadOnlyList<PipelineTag> tags)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (IsReserved(tag.Key))
            {
                throw AwsErrors.PipelineReservedTagKey(tag.Key);
            }

            if (!seen.Add(tag.Key))
            {
                throw AwsErrors.PipelineDuplicateTagKey(tag.Key);
            }
        }
    }

    private static bool IsReserved(string key) => key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase);
}
