namespace Cairn.Core.Identity.Policies;

/// <summary>
/// One statement of a policy, as written (for explaining a decision) and compiled (for deciding one):
/// action patterns case-insensitive, resource patterns case-sensitive per ARN segment, conditions ANDed.
/// </summary>
public sealed class PolicyStatement
{
    private readonly WildcardPattern[] _actionPatterns;
    private readonly ArnPattern[] _resourcePatterns;
    private readonly ConditionClause[] _conditions;
    private readonly bool _anyAction;
    private readonly bool _anyResource;

    internal PolicyStatement(
        int index,
        string? sid,
        PolicyEffect effect,
        IReadOnlyList<string> actions,
        bool notAction,
        IReadOnlyList<string> resources,
        bool notResource,
        PolicyPrincipals? principals,
        bool notPrincipal,
        ConditionClause[] conditions,
        bool variablesEnabled)
    {
        Index = index;
        Sid = sid;
        Effect = effect;
        Actions = actions;
        IsNotAction = notAction;
        Resources = resources;
        IsNotResource = notResource;
        Principals = principals;
        IsNotPrincipal = notPrincipal;
        _conditions = conditions;
        _actionPatterns = actions.Select(a => WildcardPattern.Compile(a, ignoreCase: true)).ToArray();
        _resourcePatterns = resources.Select(r => new ArnPattern(PolicyTemplate.Parse(r, variablesEnabled))).ToArray();
        _anyAction = !notAction && _actionPatterns.Any(p => p.MatchesEverything);
        _anyResource = !notResource && resources.Any(r => r == "*");
    }

    /// <summary>Zero-based position in the document's Statement list.</summary>
    public int Index { get; }

    public string? Sid { get; }

    public PolicyEffect Effect { get; }

    /// <summary>The Action values, or the NotAction values when <see cref="IsNotAction"/>.</summary>
    public IReadOnlyList<string> Actions { get; }

    public bool IsNotAction { get; }

    /// <summary>The Resource values, or the NotResource values when <see cref="IsNotResource"/>; empty in trust policies.</summary>
    public IReadOnlyList<string> Resources { get; }

    public bool IsNotResource { get; }

    /// <summary>Principal (or NotPrincipal) of a trust policy statement; null in identity policies.</summary>
    public PolicyPrincipals? Principals { get; }

    public bool IsNotPrincipal { get; }

    public bool HasConditions => _conditions.Length > 0;

    /// <summary>The condition keys the statement tests (for the simulator's MissingContextValues).</summary>
    public IEnumerable<string> ConditionKeys => _conditions.Select(c => c.Key).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>A short name for messages: the Sid, or the statement's position.</summary>
    public string DisplayName => Sid is { Length: > 0 } ? Sid : $"Statement[{Index}]";

    /// <summary>Action matching: <paramref name="action"/> is e.g. <c>ssm:GetParameter</c>, compared case-insensitively.</summary>
    public bool MatchesAction(string action)
    {
        if (_anyAction)
        {
            return true;
        }

        var matched = false;
        foreach (var pattern in _actionPatterns)
        {
            if (pattern.IsMatch(action))
            {
                matched = true;
                break;
            }
        }

        return matched != IsNotAction;
    }

    public bool MatchesResource(string resourceArn, ConditionContext context)
    {
        if (_anyResource)
        {
            return true;
        }

        var matched = false;
        foreach (var pattern in _resourcePatterns)
        {
            if (pattern.IsMatch(resourceArn, context))
            {
                matched = true;
                break;
            }
        }

        return matched != IsNotResource;
    }

    /// <summary>Every condition clause holds (operators and keys AND together).</summary>
    public bool ConditionsHold(ConditionContext context)
    {
        foreach (var condition in _conditions)
        {
            if (!condition.Evaluate(context))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first condition clause that does not hold, as <c>Operator key</c> (for explanations); null when all hold.</summary>
    public string? FirstFailingCondition(ConditionContext context)
    {
        foreach (var condition in _conditions)
        {
            if (!condition.Evaluate(context))
            {
                return $"{condition.OperatorText} {condition.Key}";
            }
        }

        return null;
    }

    /// <summary>Whether the statement applies to the request (action, resource and conditions all match).</summary>
    public bool Applies(PolicyRequest request) =>
        MatchesAction(request.Action) && MatchesResource(request.Resource, request.Context) && ConditionsHold(request.Context);
}
