using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;

namespace Cairn.Application.Identity.Authorization;

/// <summary>
/// IAM's policy simulator as an application service: the same evaluation requests get, with the deciding statements
/// named and the condition keys the caller did not supply. Authorized as <c>iam:SimulatePrincipalPolicy</c> on the
/// principal's ARN or <c>iam:SimulateCustomPolicy</c> on <c>*</c>. IAM's Query API is an adapter over it; the dashboard's
/// "why denied" calls it directly.
/// </summary>
public sealed class PolicySimulator(IdentityDirectory directory, IAuthorizer authorizer)
{
    /// <summary>
    /// Evaluates each action on each resource (<c>*</c> when none) against the policies of the user, role or group
    /// <paramref name="policySourceArn"/> names, plus <paramref name="inputPolicies"/>, with only the context keys given.
    /// </summary>
    public async Task<IReadOnlyList<SimulationResult>> SimulatePrincipalPolicyAsync(
        RequestContext context, string policySourceArn, IReadOnlyList<string> inputPolicies, IReadOnlyList<string> actions,
        IReadOnlyList<string> resources, ConditionContext conditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "iam:SimulatePrincipalPolicy", policySourceArn, cancellationToken);
        var (kind, name) = ParseIdentityArn(context, policySourceArn);
        var sources = await directory.ForEntityAsync(kind, context.AccountId, name, cancellationToken);
        if (sources.PrincipalArn is null)
        {
            throw kind switch
            {
                IamEntityKind.User => AwsErrors.NoSuchUser(name),
                IamEntityKind.Role => AwsErrors.NoSuchRole(name),
                _ => AwsErrors.NoSuchGroup(name),
            };
        }

        return Simulate([.. sources.Sources, .. Parse(inputPolicies)], actions, resources, conditions, sources.Boundary);
    }

    /// <summary>Evaluates each action on each resource against <paramref name="inputPolicies"/> alone.</summary>
    public async Task<IReadOnlyList<SimulationResult>> SimulateCustomPolicyAsync(
        RequestContext context, IReadOnlyList<string> inputPolicies, IReadOnlyList<string> actions,
        IReadOnlyList<string> resources, ConditionContext conditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "iam:SimulateCustomPolicy", "*", cancellationToken);
        return Simulate(Parse(inputPolicies), actions, resources, conditions);
    }

    /// <summary>IAM's name for a decision: allowed, explicitDeny, implicitDeny.</summary>
    public static string DecisionName(PolicyDecision decision) => decision switch
    {
        PolicyDecision.Allow => "allowed",
        PolicyDecision.ExplicitDeny => "explicitDeny",
        _ => "implicitDeny",
    };

    /// <summary>
    /// Evaluates each action on each resource against <paramref name="policies"/> with no authorization of its own: for
    /// application services that already authorized the caller for what they simulate (the policy suggestion's dry-run).
    /// </summary>
    public static IReadOnlyList<SimulationResult> SimulatePolicies(
        IReadOnlyList<EffectivePolicy> policies, IReadOnlyList<string> actions, IReadOnlyList<string> resources, ConditionContext conditions) =>
        Simulate(policies, actions, resources, conditions);

    /// <summary>A policy document as the simulator's input (<c>PolicyInputList.n</c>), parsed as an inline policy.</summary>
    public static EffectivePolicy InputPolicy(string document, string name) =>
        new(new IdentityPolicy(name, PolicyDocument.Parse(document, PolicyKind.Inline)), name, "none");

    /// <remarks>With a <paramref name="boundary"/>, both the policies and the boundary must allow, and a Deny in either wins.</remarks>
    private static List<SimulationResult> Simulate(
        IReadOnlyList<EffectivePolicy> policies, IReadOnlyList<string> actions, IReadOnlyList<string> resources, ConditionContext context,
        EffectivePolicy? boundary = null)
    {
        var identityPolicies = policies.Select(p => p.Policy).ToList();
        var results = new List<SimulationResult>();
        foreach (var actionName in actions)
        {
            foreach (var resource in resources.Count == 0 ? ["*"] : resources)
            {
                var request = new PolicyRequest(actionName, resource, context);
                var decision = PolicyEvaluator.Evaluate(identityPolicies, request).Decision;
                PolicyDecision? byBoundary = boundary is null ? null : PolicyEvaluator.Evaluate([boundary.Policy], request).Decision;
                var deniedByBoundary = false;
                if (byBoundary is { } b && b != PolicyDecision.Allow && decision != PolicyDecision.ExplicitDeny
                    && (b == PolicyDecision.ExplicitDeny || decision == PolicyDecision.Allow))
                {
                    decision = b;
                    deniedByBoundary = true;
                }
                var matched = new List<MatchedStatement>();
                var unmet = new List<UnmetStatement>();
                var missing = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var policy in deniedByBoundary && boundary is not null ? [boundary] : policies)
                {
                    foreach (var statement in policy.Policy.Document.Statements)
                    {
                        if (!statement.MatchesAction(actionName) || !statement.MatchesResource(resource, context))
                        {
                            continue;
                        }

                        foreach (var key in statement.ConditionKeys.Where(k => !context.TryGet(k, out _)))
                        {
                            missing.Add(key);
                        }

                        var decisive = decision == PolicyDecision.ExplicitDeny ? PolicyEffect.Deny : PolicyEffect.Allow;
                        var holds = statement.ConditionsHold(context);
                        if (decision != PolicyDecision.ImplicitDeny && statement.Effect == decisive && holds)
                        {
                            matched.Add(Matched(policy, statement));
                        }
                        else if (decision == PolicyDecision.ImplicitDeny && statement.Effect == PolicyEffect.Allow && !holds)
                        {
                            unmet.Add(new UnmetStatement(Matched(policy, statement), statement.FirstFailingCondition(context)!));
                        }
                    }
                }

                results.Add(new SimulationResult(actionName, resource, decision, matched, [.. missing], unmet)
                {
                    AllowedByPermissionsBoundary = byBoundary is null ? null : byBoundary == PolicyDecision.Allow,
                    DeniedByPermissionsBoundary = deniedByBoundary ? boundary?.Name : null,
                });
            }
        }

        return results;
    }

    private static MatchedStatement Matched(EffectivePolicy policy, PolicyStatement statement) =>
        new(policy.Name, policy.SourceType, statement.Sid, statement.Index, StatementText(policy.Policy.Document, statement.Index));

    /// <summary>The statement at <paramref name="index"/> as written in the document, indented (the document's Statement may be one object or a list).</summary>
    public static string StatementText(PolicyDocument document, int index)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = JsonNode.Parse(document.Text) as JsonObject;
        var statements = root?.FirstOrDefault(p => p.Key == "Statement").Value ?? root?.FirstOrDefault(p => string.Equals(p.Key, "Statement", StringComparison.OrdinalIgnoreCase)).Value;
        var statement = statements is JsonArray list ? list[index] : statements;
        return statement?.ToJsonString(IndentedJson) ?? string.Empty;
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static List<EffectivePolicy> Parse(IReadOnlyList<string> documents) => documents
        .Select((document, i) => new EffectivePolicy(
            new IdentityPolicy($"PolicyInputList.{i + 1}", PolicyDocument.Parse(document, PolicyKind.Inline)), $"PolicyInputList.{i + 1}", "none"))
        .ToList();

    /// <summary>arn:aws:iam::ACCOUNT:user/path/NAME (or role/, group/) to the entity kind and name.</summary>
    private static (IamEntityKind Kind, string Name) ParseIdentityArn(RequestContext context, string arn)
    {
        var prefix = $"arn:aws:iam::{context.AccountId}:";
        if (arn.StartsWith(prefix, StringComparison.Ordinal))
        {
            var rest = arn[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var type = slash < 0 ? rest : rest[..slash];
            var name = rest[(rest.LastIndexOf('/') + 1)..];
            switch (type)
            {
                case "user":
                    return (IamEntityKind.User, name);
                case "role":
                    return (IamEntityKind.Role, name);
                case "group":
                    return (IamEntityKind.Group, name);
            }
        }

        throw AwsErrors.InvalidInput($"Invalid ARN: {arn}. The PolicySourceArn must be the ARN of a user, group or role in this account.");
    }
}
