using Cairn.Core.Errors;

namespace Cairn.Core.Parameters;

/// <summary>Tag rules beyond the shape's own (length, pattern): at most 50 per parameter.</summary>
public static class ParameterTags
{
    public const int MaxPerResource = 50;

    /// <summary>Merges <paramref name="added"/> into <paramref name="existing"/> (same key: new value wins) and checks the limit.</summary>
    public static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> existing, IEnumerable<ParameterTag> added)
    {
        var merged = new Dictionary<string, string>(existing, StringComparer.Ordinal);
        foreach (var tag in added)
        {
            merged[tag.Key] = tag.Value;
        }

        if (merged.Count > MaxPerResource)
        {
            throw AwsErrors.TooManyTags(MaxPerResource);
        }

        return merged;
    }
}
