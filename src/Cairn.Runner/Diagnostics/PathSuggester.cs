namespace Cairn.Runner.Diagnostics;

/// <summary>
/// Finds the existing path closest to one that does not exist, segment by segment: each missing segment is replaced
/// by the most similar entry of its directory (case differences count least), if one is close enough.
/// </summary>
public static class PathSuggester
{
    private const int MaxEntriesPerDirectory = 10_000;

    /// <summary>
    /// The corrected form of <paramref name="path"/> (relative to <paramref name="root"/>, or absolute inside it), spelled
    /// the way the user spelled it; null when the path exists or nothing close enough does.
    /// </summary>
    public static string? Suggest(string root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        var fullRoot = Path.GetFullPath(root);
        var isAbsolute = path.StartsWith('/');
        var current = isAbsolute ? "/" : fullRoot;
        var segments = path.Split('/');
        var corrected = new string[segments.Length];
        var changed = false;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            corrected[i] = segment;
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var isLast = i == segments.Length - 1 || segments[(i + 1)..].All(s => s.Length == 0);
            var candidate = Path.Combine(current, segment);
            if (Directory.Exists(candidate) || (isLast && File.Exists(candidate)))
            {
                current = candidate;
                continue;
            }

            var closest = Closest(current, segment, directoriesOnly: !isLast);
            if (closest is null)
            {
                return null;
            }

            corrected[i] = closest;
            current = Path.Combine(current, closest);
            changed = true;
        }

        return changed ? string.Join('/', corrected) : null;
    }

    private static string? Closest(string directory, string segment, bool directoriesOnly)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        IEnumerable<string> entries;
        try
        {
            entries = (directoriesOnly ? Directory.EnumerateDirectories(directory) : Directory.EnumerateFileSystemEntries(directory))
                .Take(MaxEntriesPerDirectory)
                .Select(e => Path.GetFileName(e)!)
                .ToList();
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var allowed = Math.Max(1, segment.Length / 3);
        string? best = null;
        var bestScore = double.MaxValue;
        foreach (var entry in entries)
        {
            var distance = EditDistance.Between(segment.ToLowerInvariant(), entry.ToLowerInvariant());
            // A difference in case only is the most likely slip, so it beats any real edit.
            var score = distance + (string.Equals(segment, entry, StringComparison.Ordinal) ? 0 : 0.5);
            if (distance <= allowed && score < bestScore)
            {
                best = entry;
                bestScore = score;
            }
        }

        return best;
    }
}
