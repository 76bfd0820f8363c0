namespace Cairn.Core.Identity.Policies;

/// <summary>The decision and the statement that made it (the first matching Deny, or the first matching Allow).</summary>
public sealed record PolicyEvaluation(PolicyDecision Decision, IdentityPolicy? Policy = null, PolicyStatement? Statement = null)
{
    public static readonly PolicyEvaluation ImplicitDeny = new(PolicyDecision.ImplicitDeny);

    public bool IsAllowed => Decision == PolicyDecision.Allow;
}
