namespace Cairn.Core.Identity.Policies;

/// <summary>
/// A trust policy's answer. When <see cref="Match"/> is <see cref="PrincipalMatch.Account"/> the caller's own identity
/// policies must also allow the action; <see cref="PrincipalMatch.Specific"/> suffices alone (same account).
/// </summary>
public sealed record TrustEvaluation(PolicyDecision Decision, PrincipalMatch Match, PolicyStatement? Statement)
{
    public bool IsAllowed => Decision == PolicyDecision.Allow;
}
