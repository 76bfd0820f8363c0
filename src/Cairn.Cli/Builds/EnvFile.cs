namespace Cairn.Cli.Builds;

/// <summary>
/// Reads --env-file: KEY=VALUE lines (an optional leading <c>export </c>, blank lines and # comments skipped, one pair
/// of matching surrounding quotes removed, nothing else interpreted), as a StartBuild override layer.
/// </summary>
internal static class EnvFile
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(IEnumerable<string> lines, string fileName)
    {
        var variables = new List<KeyValuePair<string, string>>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            if (trimmed.StartsWith("export ", StringComparison.Ordinal))
            {
                trimmed = trimmed["export ".Length..].TrimStart();
            }

            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? trimmed : trimmed[..equals];
            if (equals <= 0 || !IsName(name))
            {
                throw new FormatException($"{fileName}:{number}: expected KEY=VALUE with KEY made of letters, digits and _, got '{Shorten(line)}'");
            }

            var value = trimmed[(equals + 1)..];
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            variables.Add(new(name, value));
        }

        return variables;
    }

    private static bool IsName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    // The rejected line is echoed without its value: it may hold a secret.
    private static string Shorten(string line) => line.Contains('=', StringComparison.Ordinal) ? line[..line.IndexOf('=', StringComparison.Ordinal)] + "=..." : line.Length > 40 ? line[..40] + "..." : line;
}
