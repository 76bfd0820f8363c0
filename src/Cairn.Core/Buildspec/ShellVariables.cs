using System.Text.RegularExpressions;

namespace Cairn.Core.Buildspec;

/// <summary>Just enough shell reading to tell which variables a command uses and which it assigns.</summary>
internal static partial class ShellVariables
{
    /// <summary>
    /// Each <c>$NAME</c> / <c>${NAME...}</c> the command expands, in order, with its offset. Not reported: text in single
    /// quotes or comments, escaped dollars, special and positional parameters, <c>${!NAME}</c>, and expansions with a
    /// default (<c>${NAME:-x}</c>, <c>${NAME=x}</c>, <c>${NAME:+x}</c>, <c>${NAME:?x}</c>), which handle an unset variable themselves.
    /// </summary>
    public static IEnumerable<(string Name, int Offset)> Uses(string command)
    {
        var inDouble = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (c == '"')
            {
                inDouble = !inDouble;
                continue;
            }

            if (!inDouble && c == '\'')
            {
                var end = command.IndexOf('\'', i + 1);
                i = end < 0 ? command.Length : end;
                continue;
            }

            if (!inDouble && c == '#' && (i == 0 || char.IsWhiteSpace(command[i - 1])))
            {
                var end = command.IndexOf('\n', i);
                i = end < 0 ? command.Length : end;
                continue;
            }

            if (c != '$' || i + 1 >= command.Length)
            {
                continue;
            }

            if (command[i + 1] == '{')
            {
                var start = i + 2;
                if (start < command.Length && command[start] == '#')
                {
                    start++;
                }

                var length = NameLength(command, start);
                if (length == 0)
                {
                    continue;
                }

                var next = start + length < command.Length ? command[start + length] : '}';
                var after = start + length + 1 < command.Length ? command[start + length + 1] : '}';
                var hasDefault = next is '-' or '=' or '+' or '?' || (next == ':' && after is '-' or '=' or '+' or '?');
                if (!hasDefault)
                {
                    yield return (command.Substring(start, length), i);
                }

                i = start + length - 1;
            }
            else if (NameLength(command, i + 1) is var length and > 0)
            {
                yield return (command.Substring(i + 1, length), i);
                i += length;
            }
        }
    }

    /// <summary>The variables the command assigns (NAME=, export NAME=, read NAME, for NAME in, ...), with offsets.</summary>
    public static IEnumerable<(string Name, int Offset)> Assignments(string command)
    {
        foreach (Match match in Assignment().Matches(command))
        {
            yield return (match.Groups["name"].Value, match.Index);
        }

        foreach (Match match in Loop().Matches(command))
        {
            yield return (match.Groups["name"].Value, match.Index);
        }

        foreach (Match match in Read().Matches(command))
        {
            foreach (Capture name in match.Groups["name"].Captures)
            {
                yield return (name.Value, match.Index);
            }
        }
    }

    /// <summary>True when the command may define variables no one can see from its text (source, eval, export $(...)).</summary>
    public static bool DefinesUnknownVariables(string command) => Opaque().IsMatch(command);

    private static int NameLength(string text, int start)
    {
        if (start >= text.Length || !(char.IsAsciiLetter(text[start]) || text[start] == '_'))
        {
            return 0;
        }

        var end = start + 1;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        return end - start;
    }

    [GeneratedRegex(@"(?:^|[\s;&|({`]|\$\()(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"(?:^|[\s;&|({])(?:for|select|getopts\s+\S+|mapfile|readarray|printf\s+-v)\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Loop();

    [GeneratedRegex(@"(?:^|[\s;&|({])read(?:\s+(?:-[a-zA-Z]*[pdtnNu]\s+(?:'[^']*'|""[^""]*""|\S+)|-[a-zA-Z]+))*(?:\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\b)+", RegexOptions.CultureInvariant)]
    private static partial Regex Read();

    [GeneratedRegex(@"(?:^|[\s;&|({])(?:(?:source|\.|eval)\s|set\s+-a\b|export\s+\$)", RegexOptions.CultureInvariant)]
    private static partial Regex Opaque();
}
