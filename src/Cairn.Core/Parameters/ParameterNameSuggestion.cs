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

            var distance = Buildspec.DidYouMean.Distance(wanted, Normalize(name));
            if (distance < bestDistance)
            {
                best = name;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= Math.Max(1, wanted.Length / 6) ? best : null;
    }

    private static string Normalize(string name) => name.TrimStart('/').Replace('-', '_').ToLowerInvariant();
}
