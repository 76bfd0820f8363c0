namespace Cairn.Core.Identity.Policies;

/// <summary>
/// AWS's evaluation of identity-based policies within one account: a matching Deny anywhere wins, otherwise a
/// matching Allow allows, otherwise the request is implicitly denied. Pure and allocation-light: patterns are
/// compiled when the documents are parsed.
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyEvaluation Evaluate(IReadOnlyList<IdentityPolicy> policies, PolicyRequest request)
    {
        PolicyEvaluation? allow = null;
        for (var p = 0; p < policies.Count; p++)
        {
            var policy = policies[p];
            var statements = policy.Document.Statements;
            for (var i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                // Once an Allow is found only a Deny can change the outcome: skip the other Allows.
                if ((allow is not null && statement.Effect == PolicyEffect.Allow) || !statement.Applies(request))
                {
                    continue;
                }

                if (statement.Effect == PolicyEffect.Deny)
                {
                    return new PolicyEvaluation(PolicyDecision.ExplicitDeny, policy, statement);
                }

                allow = new PolicyEvaluation(PolicyDecision.Allow, policy, statement);
            }
        }

        return allow ?? PolicyEvaluation.ImplicitDeny;
    }

    /// <summary>
    /// A role's trust policy for <paramref name="caller"/> asking for <paramref name="action"/> (e.g. <c>sts:AssumeRole</c>):
    /// Deny statements naming the caller win; otherwise the strongest Allow naming it (its own ARN over its account).
    /// </summary>
    public static TrustEvaluation EvaluateTrust(PolicyDocument trustPolicy, TrustCaller caller, string action, ConditionContext context)
    {
        var best = PrincipalMatch.None;
        PolicyStatement? allowing = null;
        foreach (var statement in trustPolicy.Statements)
        {
            if (statement.Principals is null || !statement.MatchesAction(action) || !statement.ConditionsHold(context))
            {
                continue;
            }

            var match = statement.Principals.Match(caller);
            if (statement.IsNotPrincipal)
            {
                match = match == PrincipalMatch.None ? PrincipalMatch.Specific : PrincipalMatch.None;
            }

            if (match == PrincipalMatch.None)
            {
                continue;
            }

            if (statement.Effect == PolicyEffect.Deny)
            {
                return new TrustEvaluation(PolicyDecision.ExplicitDeny, PrincipalMatch.None, statement);
            }

            if (match > best)
            {
                best = match;
                allowing = statement;
            }
        }

        return allowing is null
            ? new TrustEvaluation(PolicyDecision.ImplicitDeny, PrincipalMatch.None, null)
            : new TrustEvaluation(PolicyDecision.Allow, best, allowing);
    }
}
