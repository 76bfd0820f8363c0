using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Core.Buildspec;

/// <summary>Just enough shell reading for the linter: statements of a script, and where cd goes.</summary>
internal static partial class ShellScript
{
    /// <summary>
    /// For a multi-line script run as one command (only the last line's exit status counts): the first statement
    /// whose failure would be hidden because another statement runs after it, or null (one statement, set -e).
    /// A compound (if/for/while/case) counts as one statement; its branches are followed separately.
    /// </summary>
    public static string? FirstHiddenFailure(string script)
    {
        var lines = LogicalLines(script);
        if (lines.Exists(line => Errexit().IsMatch(line)))
        {
            return null;
        }

        string? pending = null;
        var openers = new Stack<string>();
        foreach (var line in lines)
        {
            var kind = Classify(line);
            if (kind is LineKind.Statement or LineKind.Opener && pending is not null)
            {
                return pending;
            }

            switch (kind)
            {
                case LineKind.Statement:
                    pending = line;
                    break;
                case LineKind.Opener:
                    openers.Push(line);
                    pending = null;
                    break;
                case LineKind.Branch:
                    pending = null;
                    break;
                case LineKind.CasePattern:
                    pending = line.EndsWith(";;", StringComparison.Ordinal) ? null : line[(line.IndexOf(')', StringComparison.Ordinal) + 1)..].Trim() is { Length: > 0 } ? line : null;
                    break;
                case LineKind.Closer:
                    pending = openers.Count > 0 ? openers.Pop() : line;
                    break;
            }
        }

        return null;
    }

    private enum LineKind
    {
        Statement,
        Opener,
        Branch,
        CasePattern,
        Closer,
    }

    private static LineKind Classify(string line)
    {
        if (line is "fi" or "done" or "esac" or "}" or ")" || Closer().IsMatch(line))
        {
            return LineKind.Closer;
        }

        if (line is "else" or "then" or "do" or ";;" || line.StartsWith("elif ", StringComparison.Ordinal) || line.StartsWith("else ", StringComparison.Ordinal))
        {
            return LineKind.Branch;
        }

        if (Opener().IsMatch(line))
        {
            // "if a; then b; fi" opens and closes on one line: one statement.
            return ClosedOnTheLine().IsMatch(line) ? LineKind.Statement : LineKind.Opener;
        }

        return CasePattern().IsMatch(line) ? LineKind.CasePattern : LineKind.Statement;
    }

    /// <summary>Each <c>cd</c> in the command, in order.</summary>
    public static IEnumerable<CdTarget> CdTargets(string command)
    {
        foreach (var (text, offset) in SimpleCommands(command))
        {
            var words = Words(StripLeadingKeywords(text));
            if (words.Count == 0 || words[0] != "cd")
            {
                continue;
            }

            var argument = words.Skip(1).FirstOrDefault(word => !word.StartsWith('-') || word == "-");
            yield return Classify(argument, offset);
        }
    }

    internal static CdTarget Classify(string? argument, int offset)
    {
        if (argument is null or "-" || argument.StartsWith('~') || argument.StartsWith('/'))
        {
            return new CdTarget(null, false, offset);
        }

        foreach (var prefix in (string[])["$CODEBUILD_SRC_DIR", "${CODEBUILD_SRC_DIR}"])
        {
            if (argument.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = argument[prefix.Length..];
                return rest.Length == 0 || rest.StartsWith('/')
                    ? Classify(rest.TrimStart('/') is { Length: > 0 } path ? path : ".", offset) with { FromRoot = true }
                    : new CdTarget(null, false, offset);
            }
        }

        return argument.IndexOfAny(['$', '`', '*', '?', '[']) >= 0 ? new CdTarget(null, false, offset) : new CdTarget(argument, false, offset);
    }

    // Splits on && || ; | and newlines outside quotes.
    internal static IEnumerable<(string Text, int Offset)> SimpleCommands(string command)
    {
        var start = 0;
        char quote = '\0';
        for (var i = 0; i <= command.Length; i++)
        {
            var c = i < command.Length ? command[i] : '\n';
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
                continue;
            }

            if (c is ';' or '\n' or '&' or '|')
            {
                if (i > start)
                {
                    yield return (command[start..i].Trim(), start);
                }

                start = i + 1;
            }
        }
    }

    internal static string StripLeadingKeywords(string text)
    {
        var trimmed = text.TrimStart('(', '{', ' ', '\t');
        foreach (var keyword in (string[])["then ", "do ", "else "])
        {
            if (trimmed.StartsWith(keyword, StringComparison.Ordinal))
            {
                return trimmed[keyword.Length..].TrimStart();
            }
        }

        return trimmed;
    }

    internal static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char quote = '\0';
        foreach (var c in text)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    // Joins continuation lines (trailing \, &&, ||, |), drops blanks, comments and here-document bodies.
    private static List<string> LogicalLines(string script)
    {
        var lines = new List<string>();
        var pending = new StringBuilder();
        string? heredocEnd = null;
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.Trim();
            if (heredocEnd is not null)
            {
                heredocEnd = line == heredocEnd ? null : heredocEnd;
                continue;
            }

            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }

            pending.Append(line);
            if (line.EndsWith("&&", StringComparison.Ordinal) || line.EndsWith("||", StringComparison.Ordinal) || (line.EndsWith('|') && !line.EndsWith(";;", StringComparison.Ordinal)))
            {
                pending.Append(' ');
                continue;
            }

            var logical = pending.ToString();
            pending.Clear();
            lines.Add(logical);
            if (Heredoc().Match(logical) is { Success: true } heredoc)
            {
                heredocEnd = heredoc.Groups["word"].Value;
            }
        }

        if (pending.Length > 0)
        {
            lines.Add(pending.ToString().Trim());
        }

        return lines;
    }

    [GeneratedRegex(@"^set\s+(-[a-zA-Z]*e[a-zA-Z]*|-o\s+errexit)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Errexit();

    // "if x; then", "for f in *; do", "while x; do", "case $x in", "f() {", "{", "(".
    [GeneratedRegex(@"(^|[\s;])(then|do|\{)$|^(if|while|until|for|case|select)\s.*$|^[({]$", RegexOptions.CultureInvariant)]
    private static partial Regex Opener();

    [GeneratedRegex(@"^(fi|done|esac|\}|\))\s*(;|&&|\|\||[<>|]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Closer();

    [GeneratedRegex(@"[;\s](fi|done|esac|\})\s*(;|&&|\|\||[<>|].*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ClosedOnTheLine();

    [GeneratedRegex(@"^\(?[^\s()]+\)", RegexOptions.CultureInvariant)]
    private static partial Regex CasePattern();

    [GeneratedRegex(@"<<-?\s*['""]?(?<word>[A-Za-z_][A-Za-z0-9_]*)['""]?", RegexOptions.CultureInvariant)]
    private static partial Regex Heredoc();
}
