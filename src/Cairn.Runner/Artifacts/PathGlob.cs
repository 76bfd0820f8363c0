namespace Cairn.Runner.Artifacts;

/// <summary>
/// CodeBuild's file patterns, matched against '/'-separated paths relative to a base directory: <c>**</c> is any
/// number of directories, <c>*</c> any run of characters within one segment, <c>?</c> one character.
/// A pattern naming a directory (e.g. <c>build</c> or <c>build/</c>) matches every file below it.
/// </summary>
public sealed class PathGlob
{
    private readonly string[] _segments;

    public PathGlob(string pattern)
    {
        Pattern = pattern;
        var trimmed = pattern.Trim().Replace('\\', '/');
        while (trimmed.StartsWith("./", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..];
        }

        _segments = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }

    public string Pattern { get; }

    /// <summary>True when <paramref name="relativePath"/> (a file) matches, or lies below a directory the pattern names.</summary>
    public bool IsMatch(string relativePath)
    {
        var parts = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return MatchFrom(0, parts, 0, allowPrefix: true);
    }

    private bool MatchFrom(int si, string[] parts, int pi, bool allowPrefix)
    {
        if (si == _segments.Length)
        {
            // Every pattern segment used: a whole-path match, or the pattern named a directory above the file.
            return pi == parts.Length || (allowPrefix && pi > 0 && !_segments[^1].Contains('*', StringComparison.Ordinal));
        }

        if (_segments[si] == "**")
        {
            for (var skip = pi; skip <= parts.Length; skip++)
            {
                if (MatchFrom(si + 1, parts, skip, allowPrefix: false))
                {
                    return true;
                }
            }

            return false;
        }

        return pi < parts.Length && SegmentMatches(_segments[si], parts[pi]) && MatchFrom(si + 1, parts, pi + 1, allowPrefix);
    }

    internal static bool SegmentMatches(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
