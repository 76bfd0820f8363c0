namespace Cairn.Core.Identity.Policies;

/// <summary>
/// A compiled IAM wildcard pattern: <c>*</c> matches any run of characters (including <c>/</c> and <c>:</c>),
/// <c>?</c> exactly one. Common shapes (everything, exact, prefix) take a fast path; the rest use a
/// backtracking-free-ish scan that only ever retries from the last star, so no Regex and no allocation per match.
/// </summary>
internal sealed class WildcardPattern
{
    private readonly PatternToken[] _tokens;
    private readonly Shape _shape;
    private readonly string _text;
    private readonly StringComparison _comparison;

    public WildcardPattern(IReadOnlyList<PatternToken> tokens, bool ignoreCase)
    {
        _tokens = Normalize(tokens);
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        (_shape, _text) = _tokens switch
        {
            [] => (Shape.Exact, string.Empty),
            [{ Kind: PatternTokenKind.Star }] => (Shape.Everything, string.Empty),
            [{ Kind: PatternTokenKind.Literal } only] => (Shape.Exact, only.Text),
            [{ Kind: PatternTokenKind.Literal } head, { Kind: PatternTokenKind.Star }] => (Shape.Prefix, head.Text),
            _ => (Shape.General, string.Empty),
        };
    }

    private enum Shape
    {
        Everything,
        Exact,
        Prefix,
        General,
    }

    /// <summary>Compiles <paramref name="pattern"/> where every <c>*</c> and <c>?</c> is a wildcard.</summary>
    public static WildcardPattern Compile(string pattern, bool ignoreCase) => new(Tokenize(pattern), ignoreCase);

    public bool MatchesEverything => _shape == Shape.Everything;

    public bool IsMatch(ReadOnlySpan<char> value) => _shape switch
    {
        Shape.Everything => true,
        Shape.Exact => value.Equals(_text, _comparison),
        Shape.Prefix => value.StartsWith(_text, _comparison),
        _ => MatchGeneral(value),
    };

    /// <summary>Splits text into literal runs and wildcards.</summary>
    public static List<PatternToken> Tokenize(string text, List<PatternToken>? into = null)
    {
        var tokens = into ?? new List<PatternToken>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '*' or '?')
            {
                if (i > start)
                {
                    tokens.Add(PatternToken.Literal(text[start..i]));
                }

                tokens.Add(text[i] == '*' ? PatternToken.Star : PatternToken.Question);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            tokens.Add(PatternToken.Literal(text[start..]));
        }

        return tokens;
    }

    private bool MatchGeneral(ReadOnlySpan<char> value)
    {
        var t = 0;
        var s = 0;
        var starToken = -1;
        var starPosition = 0;
        while (true)
        {
            if (t < _tokens.Length && _tokens[t].Kind == PatternTokenKind.Star)
            {
                starToken = t++;
                starPosition = s;
                continue;
            }

            if (t == _tokens.Length)
            {
                if (s == value.Length)
                {
                    return true;
                }
            }
            else if (_tokens[t].Kind == PatternTokenKind.Question)
            {
                if (s < value.Length)
                {
                    t++;
                    s++;
                    continue;
                }
            }
            else
            {
                var literal = _tokens[t].Text;
                if (s + literal.Length <= value.Length && value.Slice(s, literal.Length).Equals(literal, _comparison))
                {
                    t++;
                    s += literal.Length;
                    continue;
                }
            }

            // Mismatch: let the last star swallow one more character and retry what follows it.
            if (starToken < 0 || starPosition >= value.Length)
            {
                return false;
            }

            starPosition++;
            s = starPosition;
            t = starToken + 1;
        }
    }

    /// <summary>Merges adjacent literals and collapses runs of stars, which keeps the fast paths reachable.</summary>
    private static PatternToken[] Normalize(IReadOnlyList<PatternToken> tokens)
    {
        var result = new List<PatternToken>(tokens.Count);
        foreach (var token in tokens)
        {
            if (token.Kind == PatternTokenKind.Literal && token.Text.Length == 0)
            {
                continue;
            }

            if (result.Count > 0)
            {
                var last = result[^1];
                if (token.Kind == PatternTokenKind.Star && last.Kind == PatternTokenKind.Star)
                {
                    continue;
                }

                if (token.Kind == PatternTokenKind.Literal && last.Kind == PatternTokenKind.Literal)
                {
                    result[^1] = PatternToken.Literal(last.Text + token.Text);
                    continue;
                }
            }

            result.Add(token);
        }

        return result.ToArray();
    }
}
