namespace Cairn.Core.Identity.Policies;

/// <summary>AWS's AccessDenied texts for identity-based policy decisions.</summary>
public static class AccessDeniedMessage
{
    /// <summary>
    /// <c>User: &lt;principal ARN&gt; is not authorized to perform: &lt;action&gt; on resource: &lt;ARN&gt; because no identity-based
    /// policy allows the &lt;action&gt; action</c>, or for an explicit deny <c>... with an explicit deny in an identity-based policy</c>.
    /// </summary>
    public static string For(string principalArn, string action, string resourceArn, PolicyDecision decision) => decision switch
    {
        PolicyDecision.ExplicitDeny =>
            $"User: {principalArn} is not authorized to perform: {action} on resource: {resourceArn} with an explicit deny in an identity-based policy",
        PolicyDecision.ImplicitDeny =>
            $"User: {principalArn} is not authorized to perform: {action} on resource: {resourceArn} because no identity-based policy allows the {action} action",
        _ => throw new ArgumentException("An allowed request has no AccessDenied message.", nameof(decision)),
    };

    /// <summary>The texts when the user's or role's permissions boundary is what denies.</summary>
    public static string ForPermissionsBoundary(string principalArn, string action, string resourceArn, PolicyDecision decision) => decision switch
    {
        PolicyDecision.ExplicitDeny =>
            $"User: {principalArn} is not authorized to perform: {action} on resource: {resourceArn} with an explicit deny in a permissions boundary",
        PolicyDecision.ImplicitDeny =>
            $"User: {principalArn} is not authorized to perform: {action} on resource: {resourceArn} because no permissions boundary allows the {action} action",
        _ => throw new ArgumentException("An allowed request has no AccessDenied message.", nameof(decision)),
    };

    /// <summary>The texts when the session policy passed to AssumeRole is what denies.</summary>
    public static string ForSessionPolicy(string principalArn, string action, string resourceArn, PolicyDecision decision) => decision switch
    {
        PolicyDecision.ExplicitDeny =>
            $"User: {principalArn} is not authorized to perform: {action} on resource: {resourceArn} with an explicit deny in a session policy",
        PolicyDecision.ImplicitDeny =>
            $"User: {principalArn} is not authorized to perform: {action} on resource: {resourceArn} because no session policy allows the {action} action",
        _ => throw new ArgumentException("An allowed request has no AccessDenied message.", nameof(decision)),
    };
}
