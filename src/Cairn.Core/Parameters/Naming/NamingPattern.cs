using System.Text;
using System.Text.RegularExpressions;
using Cairn.Core.Errors;

namespace Cairn.Core.Parameters.Naming;

/// <summary>
/// A naming rule's pattern, compiled. Either a template of named parts between literal separators,
/// <c>{app:lower}_{kind:title}_{detail:lower}</c>, or a regular expression written <c>regex:^...$</c> (matched whole).
/// A part is one or more words joined by the template's separators (its literal characters other than letters,
/// digits and /); a word is letters and digits in the part's case: <c>any</c> (the default), <c>lower</c>,
/// <c>upper</c> or <c>title</c> (a capital, then lower case). So <c>{app}_{kind}_{detail}</c> takes
/// <c>my_app_Docker_credentials_username</c>, <c>{app:lower}-{kind:lower}-{detail:lower}</c> takes
/// <c>my-app-docker-credentials-username</c>, and <c>{app:lower}_{kind:title}_{detail:lower}</c> flags
/// <c>my_app_Docker_registry_URL</c>.
/// </summary>
public sealed partial class NamingPattern
{
    public const string RegexPrefix = "regex:";
    private const int MaxWordsToFit = 12;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex _regex;
    private readonly IReadOnlyList<Segment> _segments;
    private readonly string _separators;

    private NamingPattern(string text, Regex regex, IReadOnlyList<Segment> segments, string separators)
    {
        Text = text;
        _regex = regex;
        _segments = segments;
        _separators = separators;
    }

    public string Text { get; }

    public bool IsTemplate => _segments.Count > 0;

    /// <summary>Compiles <paramref name="text"/>, or throws ValidationException saying what is wrong with it.</summary>
    public static NamingPattern Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length is 0 or > 1024)
        {
            throw AwsErrors.InvalidNamingRule(text, "a pattern has 1 to 1024 characters.");
        }

        if (text.StartsWith(RegexPrefix, StringComparison.Ordinal))
        {
            var expression = text[RegexPrefix.Length..];
            try
            {
                return new NamingPattern(text, new Regex($"^(?:{expression})$", RegexOptions.CultureInvariant, MatchTimeout), [], string.Empty);
            }
            catch (ArgumentException error)
            {
                throw AwsErrors.InvalidNamingRule(text, $"the regular expression does not compile ({error.Message}).");
            }
        }

        var segments = ParseTemplate(text);
        var separators = new string(segments.Where(s => s.Part is null).SelectMany(s => s.Literal!).Where(c => !char.IsAsciiLetterOrDigit(c) && c != '/').Distinct().ToArray());
        var pattern = new StringBuilder("^");
        foreach (var segment in segments)
        {
            pattern.Append(segment.Part is { } part ? PartRegex(part.Case, separators) : Regex.Escape(segment.Literal!));
        }

        pattern.Append('$');
        return new NamingPattern(text, new Regex(pattern.ToString(), RegexOptions.CultureInvariant, MatchTimeout), segments, separators);
    }

    /// <summary>Whether <paramref name="subject"/> (a name without its rule's prefix) fits.</summary>
    public bool IsMatch(string subject)
    {
        try
        {
            return _regex.IsMatch(subject);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>A name that fits the template (<c>my_app_Docker_credentials_password</c>), or null for a regular expression.</summary>
    public string? Example()
    {
        if (!IsTemplate)
        {
            return null;
        }

        var text = new StringBuilder();
        for (var i = 0; i < _segments.Count; i++)
        {
            var segment = _segments[i];
            if (segment.Part is not { } part)
            {
                text.Append(segment.Literal);
                continue;
            }

            var words = ExampleWords(part.Name).Select(w => Cased(w, part.Case)).ToList();
            text.Append(JoinWords(words, i));
        }

        var example = text.ToString();
        return IsMatch(example) ? example : null;
    }

    /// <summary>
    /// A name close to <paramref name="subject"/> that fits the template: its words (split at separators and case
    /// changes) spread over the parts, each in its part's case, changing as few letters as possible. Null when none is
    /// found (a regular expression, too few or too many words, literal words the name lacks).
    /// </summary>
    public string? Suggest(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (!IsTemplate || _segments.Any(s => s.Part is null && s.Literal!.Any(char.IsAsciiLetterOrDigit)))
        {
            return null;
        }

        var words = Words(subject);
        var parts = _segments.Select((s, i) => (s, i)).Where(p => p.s.Part is not null).ToList();
        if (words.Count < parts.Count || words.Count > MaxWordsToFit)
        {
            return null;
        }

        string? best = null;
        var bestCost = int.MaxValue;
        foreach (var split in Splits(words.Count, parts.Count))
        {
            var text = new StringBuilder();
            var cost = 0;
            var at = 0;
            var partIndex = 0;
            for (var i = 0; i < _segments.Count; i++)
            {
                if (_segments[i].Part is not { } part)
                {
                    text.Append(_segments[i].Literal);
                    continue;
                }

                var taken = words.Skip(at).Take(split[partIndex]).ToList();
                at += split[partIndex++];
                var cased = taken.Select(w => Cased(w, part.Case)).ToList();
                cost += taken.Zip(cased).Sum(p => p.First.Zip(p.Second).Count(c => c.First != c.Second));
                text.Append(JoinWords(cased, i));
            }

            var candidate = text.ToString();
            if (cost < bestCost && IsMatch(candidate))
            {
                (best, bestCost) = (candidate, cost);
            }
        }

        return best;
    }

    private string JoinWords(IReadOnlyList<string> words, int segmentIndex)
    {
        if (_separators.Length == 0)
        {
            return words.Count == 0 ? string.Empty : words[0] + string.Concat(words.Skip(1).Select(w => w.All(char.IsAsciiLetterUpper) ? w : char.ToUpperInvariant(w[0]) + w[1..]));
        }

        // Words of a part are joined by the separator next to it in the template, so they read as the rest do.
        var next = segmentIndex + 1 < _segments.Count ? _segments[segmentIndex + 1].Literal : null;
        var previous = segmentIndex > 0 ? _segments[segmentIndex - 1].Literal : null;
        var separator = FirstSeparator(next) ?? FirstSeparator(previous) ?? _separators[0];
        return string.Join(separator, words);

        char? FirstSeparator(string? literal) => literal?.FirstOrDefault(c => _separators.Contains(c)) is { } c && c != '\0' ? c : null;
    }

    /// <summary>Splits a name into words at . - _ / and at case changes (MyAppURLValue: My App URL Value).</summary>
    public static IReadOnlyList<string> Words(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return WordPattern().Matches(subject).Select(m => m.Value).ToList();
    }

    private static IEnumerable<int[]> Splits(int words, int parts)
    {
        if (parts == 1)
        {
            yield return [words];
            yield break;
        }

        for (var first = 1; first <= words - parts + 1; first++)
        {
            foreach (var rest in Splits(words - first, parts - 1))
            {
                yield return [first, .. rest];
            }
        }
    }

    private static IReadOnlyList<string> ExampleWords(string part) => part.ToLowerInvariant() switch
    {
        "app" or "application" or "applicationname" or "appname" => ["my", "app"],
        "kind" or "type" or "credentialtype" or "service" => ["Docker"],
        "detail" or "details" or "name" => ["credentials", "password"],
        "env" or "environment" or "stage" => ["prod"],
        "team" or "owner" => ["web"],
        _ => [part.ToLowerInvariant()],
    };

    private static string Cased(string word, string wordCase) => wordCase switch
    {
        "lower" => word.ToLowerInvariant(),
        "upper" => word.ToUpperInvariant(),
        "title" => char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant(),
        _ => word,
    };

    private static string PartRegex(string wordCase, string separators)
    {
        var word = wordCase switch
        {
            "lower" => "[a-z0-9]+",
            "upper" => "[A-Z0-9]+",
            "title" => "[A-Z][a-z0-9]*",
            _ => "[A-Za-z0-9]+",
        };
        return separators.Length == 0 ? $"(?:{word})" : $"(?:{word}(?:[{Regex.Escape(separators).Replace("]", "\\]", StringComparison.Ordinal)}]{word})*)";
    }

    private static List<Segment> ParseTemplate(string text)
    {
        var segments = new List<Segment>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{')
            {
                var end = text.IndexOf('}', i);
                if (end < 0)
                {
                    throw AwsErrors.InvalidNamingRule(text, $"the part opened at character {i + 1} has no closing }}.");
                }

                if (literal.Length > 0)
                {
                    segments.Add(new Segment(literal.ToString(), null));
                    literal.Clear();
                }
                else if (segments.Count > 0)
                {
                    throw AwsErrors.InvalidNamingRule(text, "two parts must be separated by a literal character such as _ or -, e.g. {app}_{kind}.");
                }

                segments.Add(new Segment(null, ParsePart(text, text[(i + 1)..end], names)));
                i = end;
            }
            else if (c == '}')
            {
                throw AwsErrors.InvalidNamingRule(text, $"character {i + 1} closes a part that was never opened.");
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/')
            {
                literal.Append(c);
            }
            else
            {
                throw AwsErrors.InvalidNamingRule(text, $"'{c}' cannot be in a parameter name; literals are letters, numbers and . - _ /. For a regular expression write regex:<expression>.");
            }
        }

        if (literal.Length > 0)
        {
            segments.Add(new Segment(literal.ToString(), null));
        }

        if (!segments.Any(s => s.Part is not null))
        {
            throw AwsErrors.InvalidNamingRule(text, "a template needs at least one part such as {app}; for a regular expression write regex:<expression>.");
        }

        return segments;
    }

    private static Part ParsePart(string text, string body, HashSet<string> names)
    {
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? body : body[..colon];
        var wordCase = colon < 0 ? "any" : body[(colon + 1)..].ToLowerInvariant();
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || !name.All(char.IsAsciiLetterOrDigit))
        {
            throw AwsErrors.InvalidNamingRule(text, $"part {{{body}}} needs a name of letters and digits, e.g. {{app}} or {{kind:lower}}.");
        }

        if (wordCase is not ("any" or "lower" or "upper" or "title"))
        {
            throw AwsErrors.InvalidNamingRule(text, $"part {{{body}}} has case '{body[(colon + 1)..]}'; use any, lower, upper or title.");
        }

        if (!names.Add(name))
        {
            throw AwsErrors.InvalidNamingRule(text, $"part {{{name}}} appears twice.");
        }

        return new Part(name, wordCase);
    }

    public override string ToString() => Text;

    [GeneratedRegex("[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    private sealed record Part(string Name, string Case);

    private sealed record Segment(string? Literal, Part? Part);
}
