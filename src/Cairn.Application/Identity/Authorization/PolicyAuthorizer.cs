using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;

namespace Cairn.Application.Identity.Authorization;

/// <summary>
/// Authorizes every request with AWS's identity-based policy evaluation: the account root is always allowed;
/// users and role sessions need an Allow from their policies, from their permissions boundary (if they have one) and
/// from the session policy (if the session has one), and no matching Deny.
/// </summary>
public sealed class PolicyAuthorizer(IdentityDirectory directory) : IAuthorizer
{
    public ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        AuthorizeAsync(context, new AccessRequest(action, resourceArn), cancellationToken);

    public async ValueTask AuthorizeAsync(RequestContext context, AccessRequest request, CancellationToken cancellationToken)
    {
        var (action, resourceArn) = (request.Action, request.ResourceArn);
        var (result, denier) = await DecideAsync(context, request, cancellationToken);
        if (result.IsAllowed)
        {
            return;
        }

        var message = denier switch
        {
            DenyingPolicy.SessionPolicy => AccessDeniedMessage.ForSessionPolicy(context.Principal.Arn, action, resourceArn, result.Decision),
            DenyingPolicy.PermissionsBoundary => AccessDeniedMessage.ForPermissionsBoundary(context.Principal.Arn, action, resourceArn, result.Decision),
            _ => AccessDeniedMessage.For(context.Principal.Arn, action, resourceArn, result.Decision),
        };
        // IAM and STS speak the Query protocol, whose code is AccessDenied (HTTP 403); JSON services use AccessDeniedException.
        throw action.StartsWith("iam:", StringComparison.OrdinalIgnoreCase) || action.StartsWith("sts:", StringComparison.OrdinalIgnoreCase)
            ? AwsErrors.QueryAccessDenied(message)
            : AwsErrors.AccessDenied(message);
    }

    /// <summary>The decision and the statement behind it, for callers that explain a denial rather than throw.</summary>
    public ValueTask<PolicyEvaluation> EvaluateAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        EvaluateAsync(context, new AccessRequest(action, resourceArn), cancellationToken);

    /// <summary>The decision for a request with its service's condition keys, for callers that explain a denial rather than throw.</summary>
    public async ValueTask<PolicyEvaluation> EvaluateAsync(RequestContext context, AccessRequest request, CancellationToken cancellationToken) =>
        (await DecideAsync(context, request, cancellationToken)).Result;

    /// <summary>Which kind of policy decided a denial: it names the fix (AWS's message says which).</summary>
    private enum DenyingPolicy
    {
        IdentityPolicy,
        SessionPolicy,
        PermissionsBoundary,
    }

    /// <remarks>
    /// AWS's order within one account (IAM User Guide, "Policy evaluation logic"): an explicit deny in any policy wins; a
    /// resource-based policy that grants a user needs no identity-based Allow and is not limited by the user's boundary,
    /// while a role session stays limited by its role's boundary; otherwise the identity policies, the permissions
    /// boundary and the session policy must each allow.
    /// </remarks>
    private async ValueTask<(PolicyEvaluation Result, DenyingPolicy Denier)> DecideAsync(RequestContext context, AccessRequest access, CancellationToken cancellationToken)
    {
        if (context.Principal.IsRoot)
        {
            return (new PolicyEvaluation(PolicyDecision.Allow), DenyingPolicy.IdentityPolicy);
        }

        var policies = await directory.ForPrincipalAsync(context.Principal, cancellationToken);
        RoleSession? session = null;
        if (context.Principal.Kind == PrincipalKind.AssumedRole && context.AccessKeyId is { } keyId)
        {
            session = await directory.FindSessionAsync(keyId, cancellationToken);
        }

        var conditions = ConditionKeys.ForRequest(
            context.Principal,
            context.Time,
            context.SourceIp,
            context.Region,
            secureTransport: false,
            principalArn: policies.PrincipalArn,
            principalTags: policies.Tags,
            tokenIssueTime: session?.IssuedAt);
        foreach (var (key, value) in access.Conditions)
        {
            conditions.Set(key, value);
        }

        var request = new PolicyRequest(access.Action, access.ResourceArn, conditions);
        var identity = PolicyEvaluator.Evaluate(policies.Policies, request);
        if (identity.Decision == PolicyDecision.ExplicitDeny)
        {
            return (identity, DenyingPolicy.IdentityPolicy);
        }

        var byBoundary = policies.Boundary is { } boundary ? PolicyEvaluator.Evaluate([boundary.Policy], request) : null;
        if (byBoundary?.Decision == PolicyDecision.ExplicitDeny)
        {
            return (byBoundary, DenyingPolicy.PermissionsBoundary);
        }

        var bySession = session?.SessionPolicy is { } sessionPolicy
            ? PolicyEvaluator.Evaluate([new IdentityPolicy("session policy", directory.Compile(sessionPolicy))], request)
            : null;
        if (bySession?.Decision == PolicyDecision.ExplicitDeny)
        {
            return (bySession, DenyingPolicy.SessionPolicy);
        }

        // A resource policy that grants the access needs no identity-based Allow; only an explicit deny refuses it. A role
        // session is still limited by its role's permissions boundary (the grant names the role, not the session).
        if (access.AllowedByResourcePolicy)
        {
            return context.Principal.Kind == PrincipalKind.AssumedRole && byBoundary is { IsAllowed: false }
                ? (byBoundary, DenyingPolicy.PermissionsBoundary)
                : (new PolicyEvaluation(PolicyDecision.Allow), DenyingPolicy.IdentityPolicy);
        }

        // The boundary and the session policy can only narrow what the identity policies allow: all must allow.
        if (!identity.IsAllowed)
        {
            return (identity, DenyingPolicy.IdentityPolicy);
        }

        if (byBoundary is { IsAllowed: false })
        {
            return (byBoundary, DenyingPolicy.PermissionsBoundary);
        }

        return bySession is null || bySession.IsAllowed ? (identity, DenyingPolicy.IdentityPolicy) : (bySession, DenyingPolicy.SessionPolicy);
    }
}
