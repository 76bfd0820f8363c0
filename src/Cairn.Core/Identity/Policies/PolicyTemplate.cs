using System.Text;

namespace Cairn.Core.Identity.Policies;

/// <summary>
/// A Resource or condition value as written in a policy, with its policy variables (<c>${aws:username}</c>,
/// <c>${aws:PrincipalTag/team, 'none'}</c>, <c>${*}</c>, <c>${?}</c>, <c>${$}</c>) found once at parse time.
/// Variables only exist in Version 2012-10-17 documents; in 2008-10-17 the text is taken literally.
/// Substituted values never act as wildcards.
/// </summary>
internal sealed class PolicyTemplate
{
    private readonly TemplatePart[] _parts;

    private PolicyTemplate(TemplatePart[] parts, string text)
    {
        _parts = parts;
        Text = text;
        HasVariables = parts.Any(p => p.Kind == TemplatePartKind.Variable);
    }

    /// <summary>The text as written in the policy.</summary>
    public string Text { get; }

    public bool HasVariables { get; }

    public static PolicyTemplate Parse(string text, bool variablesEnabled)
    {
        if (!variablesEnabled || !text.Contains("${", StringComparison.Ordinal))
        {
            return new PolicyTemplate([TemplatePart.Raw(text)], text);
        }

        var parts = new List<TemplatePart>();
        var raw = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{' && TryParseVariable(text, i, out var part, out var end))
            {
                if (raw.Length > 0)
                {
                    parts.Add(TemplatePart.Raw(raw.ToString()));
                    raw.Clear();
                }

                parts.Add(part);
                i = end;
                continue;
            }

            raw.Append(text[i]);
            i++;
        }

        if (raw.Length > 0)
        {
            parts.Add(TemplatePart.Raw(raw.ToString()));
        }

        return new PolicyTemplate(parts.ToArray(), text);
    }

    /// <summary>The value with variables substituted (wildcard characters left as they are); null when a variable has no value.</summary>
    public string? ResolveString(ConditionContext context)
    {
        if (!HasVariables)
        {
            return _parts.Length == 1 ? _parts[0].Text : string.Concat(_parts.Select(p => p.Text));
        }

        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            var value = part.Kind == TemplatePartKind.Variable ? Resolve(part, context) : part.Text;
            if (value is null)
            {
                return null;
            }

            builder.Append(value);
        }

        return builder.ToString();
    }

    /// <summary>Wildcard tokens with variables substituted as literals; null when a variable has no value.</summary>
    public List<PatternToken>? ResolveTokens(ConditionContext? context)
    {
        var tokens = new List<PatternToken>();
        foreach (var part in _parts)
        {
            switch (part.Kind)
            {
                case TemplatePartKind.Raw:
                    WildcardPattern.Tokenize(part.Text, tokens);
                    break;
                case TemplatePartKind.Literal:
                    tokens.Add(PatternToken.Literal(part.Text));
                    break;
                default:
                    var value = context is null ? null : Resolve(part, context);
                    if (value is null)
                    {
                        return null;
                    }

                    tokens.Add(PatternToken.Literal(value));
                    break;
            }
        }

        return tokens;
    }

    /// <summary>Splits at the colons of the raw text (never inside a variable) into at most <paramref name="max"/> ARN segments.</summary>
    public List<PolicyTemplate> SplitSegments(int max)
    {
        var segments = new List<PolicyTemplate>();
        var current = new List<TemplatePart>();
        var currentText = new StringBuilder();
        foreach (var part in _parts)
        {
            if (part.Kind != TemplatePartKind.Raw)
            {
                current.Add(part);
                currentText.Append(part.Source);
                continue;
            }

            var text = part.Text;
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == ':' && segments.Count < max - 1)
                {
                    if (i > start)
                    {
                        current.Add(TemplatePart.Raw(text[start..i]));
                    }

                    currentText.Append(text, start, i - start);
                    segments.Add(new PolicyTemplate(current.ToArray(), currentText.ToString()));
                    current.Clear();
                    currentText.Clear();
                    start = i + 1;
                }
            }

            if (start < text.Length)
            {
                current.Add(TemplatePart.Raw(text[start..]));
                currentText.Append(text, start, text.Length - start);
            }
        }

        segments.Add(new PolicyTemplate(current.Count == 0 ? [TemplatePart.Raw(string.Empty)] : current.ToArray(), currentText.ToString()));
        return segments;
    }

    private static string? Resolve(TemplatePart part, ConditionContext context) =>
        context.TryGetSingle(part.Text, out var value) ? value : part.Default;

    /// <summary>Reads <c>${key}</c> or <c>${key, 'default'}</c> (quote doubled inside the default) starting at <paramref name="start"/>.</summary>
    private static bool TryParseVariable(string text, int start, out TemplatePart part, out int end)
    {
        part = default;
        end = start;
        var i = start + 2;
        var keyStart = i;
        while (i < text.Length && text[i] != '}' && text[i] != ',')
        {
            i++;
        }

        if (i >= text.Length)
        {
            return false;
        }

        var key = text[keyStart..i].Trim();
        if (key.Length == 0 || key.Any(char.IsWhiteSpace))
        {
            return false;
        }

        string? defaultValue = null;
        if (text[i] == ',')
        {
            i++;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i >= text.Length || text[i] != '\'')
            {
                return false;
            }

            i++;
            var value = new StringBuilder();
            while (true)
            {
                if (i >= text.Length)
                {
                    return false;
                }

                if (text[i] == '\'')
                {
                    if (i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        value.Append('\'');
                        i += 2;
                        continue;
                    }

                    i++;
                    break;
                }

                value.Append(text[i]);
                i++;
            }

            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i >= text.Length || text[i] != '}')
            {
                return false;
            }

            defaultValue = value.ToString();
        }

        end = i + 1;
        var source = text[start..end];
        part = key is "*" or "?" or "$"
            ? new TemplatePart(TemplatePartKind.Literal, key, null, source)
            : new TemplatePart(TemplatePartKind.Variable, key, defaultValue, source);
        return true;
    }

    private enum TemplatePartKind
    {
        Raw,
        Literal,
        Variable,
    }

    /// <param name="Text">Raw/literal text, or the variable's key.</param>
    /// <param name="Source">The part as written (for a variable, the whole <c>${...}</c>).</param>
    private readonly record struct TemplatePart(TemplatePartKind Kind, string Text, string? Default, string Source)
    {
        public static TemplatePart Raw(string text) => new(TemplatePartKind.Raw, text, null, text);
    }
}
