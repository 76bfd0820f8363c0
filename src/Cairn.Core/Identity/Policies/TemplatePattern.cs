namespace Cairn.Core.Identity.Policies;

/// <summary>A wildcard pattern that may contain policy variables: compiled once when it has none, per request when it has.</summary>
internal sealed class TemplatePattern
{
    private readonly PolicyTemplate _template;
    private readonly WildcardPattern? _compiled;
    private readonly bool _ignoreCase;

    public TemplatePattern(PolicyTemplate template, bool ignoreCase)
    {
        _template = template;
        _ignoreCase = ignoreCase;
        if (!template.HasVariables)
        {
            _compiled = new WildcardPattern(template.ResolveTokens(null)!, ignoreCase);
        }
    }

    public bool MatchesEverything => _compiled?.MatchesEverything == true;

    public bool IsMatch(ReadOnlySpan<char> value, ConditionContext context)
    {
        if (_compiled is not null)
        {
            return _compiled.IsMatch(value);
        }

        // A variable without a value makes the pattern match nothing (AWS: the element does not match).
        var tokens = _template.ResolveTokens(context);
        return tokens is not null && new WildcardPattern(tokens, _ignoreCase).IsMatch(value);
    }
}
