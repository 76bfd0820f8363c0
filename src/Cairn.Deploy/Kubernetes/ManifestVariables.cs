using System.Text.RegularExpressions;

namespace Cairn.Deploy.Kubernetes;

/// <summary>
/// The EKS action's variables in a manifest's text, as envsubst puts environment variables in: <c>$NAME</c> and
/// <c>${NAME}</c> become the value of the action's environment variable NAME. Only the names the action declares are
/// replaced, so a <c>$HOME</c> in a container's command stays as written; the <c>${...}</c> references left over are
/// reported, since they are most often a variable the action forgot to declare.
/// </summary>
public static partial class ManifestVariables
{
    public static string Substitute(string text, IReadOnlyDictionary<string, string> variables, out IReadOnlyList<string> unknown)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        var left = new SortedSet<string>(StringComparer.Ordinal);
        var result = Reference().Replace(text, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["plain"].Value;
            if (variables.TryGetValue(name, out var value))
            {
                return value;
            }

            if (match.Groups["braced"].Success)
            {
                left.Add(name);
            }

            return match.Value;
        });
        unknown = left.ToList();
        return result;
    }

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?<plain>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Reference();
}
