namespace Cairn.Core.Parameters;

/// <summary>The existing parameter name a missing one was probably meant to be: differing in case, '-' versus '_', a leading '/', or a typo or two.</summary>
public static class ParameterNameSuggestion
{
    public static string? Closest(string missing, IEnumerable<string> existing)
    {
        var wanted = Normalize(missing);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in existing)
        {
            if (name == missing)
            {
                continue;
            }

            var distance = Distance(wanted, Normalize(name));
            if (distance < bestDistance)
            {
                best = name;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= Math.Max(1, wanted.Length / 6) ? best : null;
    }

    private static string Normalize(string name) => name.TrimStart('/').Replace('-', '_').ToLowerInvariant();

    private static int Distance(string a, string b)
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
                current[j] = Math.Min(previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
