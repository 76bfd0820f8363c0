namespace Cairn.Core.Buildspec;

/// <summary>Suggests the known key a misspelt one was meant to be (Levenshtein distance, plus known confusions).</summary>
internal static class DidYouMean
{
    // Keys people write that are too far from the right one for edit distance to find.
    private static readonly Dictionary<string, string> Confusions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["environment"] = "env",
        ["environment_variables"] = "env",
        ["environment-variables"] = "env",
        ["environmentvariables"] = "env",
        ["plaintext"] = "variables",
        ["vars"] = "variables",
        ["parameters"] = "parameter-store",
        ["ssm"] = "parameter-store",
        ["parameterstore"] = "parameter-store",
        ["secrets"] = "secrets-manager",
        ["secretsmanager"] = "secrets-manager",
        ["exports"] = "exported-variables",
        ["runtime"] = "runtime-versions",
        ["runtimes"] = "runtime-versions",
        ["script"] = "commands",
        ["steps"] = "commands",
        ["run"] = "commands",
        ["user"] = "run-as",
        ["runas"] = "run-as",
        ["setup"] = "install",
        ["test"] = "build",
        ["deploy"] = "post_build",
    };

    public static string? Suggest(string input, IReadOnlyCollection<string> candidates)
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        if (Confusions.TryGetValue(input, out var confused) && candidates.Contains(confused))
        {
            return confused;
        }

        var normalized = Normalize(input);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(normalized, Normalize(candidate));
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        if (best is not null && bestDistance <= Math.Max(1, Math.Min(normalized.Length, best.Length) / 3))
        {
            return best;
        }

        // "enviroment" -> "env", "post" -> "post_build".
        return candidates
            .Where(candidate => (candidate.Length >= 3 && normalized.StartsWith(Normalize(candidate), StringComparison.Ordinal))
                || (normalized.Length >= 3 && Normalize(candidate).StartsWith(normalized, StringComparison.Ordinal)))
            .OrderBy(candidate => Math.Abs(candidate.Length - normalized.Length))
            .FirstOrDefault();
    }

    /// <summary>The Levenshtein edit distance between two strings.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    // pre-build, pre_build and PreBuild are the same mistake.
    private static string Normalize(string key) => key.ToLowerInvariant().Replace('-', '_');
}
