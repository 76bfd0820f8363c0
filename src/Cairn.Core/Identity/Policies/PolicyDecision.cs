namespace Cairn.Core.Identity.Policies;

/// <summary>The outcome of evaluating identity policies: explicit deny beats allow, and no allow is an implicit deny.</summary>
public enum PolicyDecision
{
    ImplicitDeny,
    Allow,
    ExplicitDeny,
}
