namespace Cairn.Runner.Diagnostics;

/// <summary>
/// Edit distance between two names for "did you mean" suggestions: insertions, deletions, substitutions and swaps of
/// two neighbouring characters each cost 1 (optimal string alignment), since swapped letters are a common typo.
/// </summary>
public static class EditDistance
{
    public static int Between(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var rows = new int[first.Length + 1, second.Length + 1];
        for (var i = 0; i <= first.Length; i++)
        {
            rows[i, 0] = i;
        }

        for (var j = 0; j <= second.Length; j++)
        {
            rows[0, j] = j;
        }

        for (var i = 1; i <= first.Length; i++)
        {
            for (var j = 1; j <= second.Length; j++)
            {
                var cost = first[i - 1] == second[j - 1] ? 0 : 1;
                var best = Math.Min(rows[i - 1, j - 1] + cost, Math.Min(rows[i - 1, j] + 1, rows[i, j - 1] + 1));
                if (i > 1 && j > 1 && first[i - 1] == second[j - 2] && first[i - 2] == second[j - 1])
                {
                    best = Math.Min(best, rows[i - 2, j - 2] + 1);
                }

                rows[i, j] = best;
            }
        }

        return rows[first.Length, second.Length];
    }
}
