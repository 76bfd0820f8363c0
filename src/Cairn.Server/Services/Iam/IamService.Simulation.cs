using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>The policy simulator: the same evaluation requests get, with the deciding statements named.</summary>
internal sealed partial class IamService
{
    private void RegisterSimulation()
    {
        On("SimulatePrincipalPolicy", SimulatePrincipalPolicyAsync);
        On("SimulateCustomPolicy", SimulateCustomPolicyAsync);
    }

    private async Task<XElement?> SimulatePrincipalPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var source = args.Required("PolicySourceArn");
        await AuthorizeAsync(context, "SimulatePrincipalPolicy", source, cancellationToken);
        var (kind, name) = ParseIdentityArn(context, source);
        var sources = await _directory.ForEntityAsync(kind, context.AccountId, name, cancellationToken);
        if (sources.PrincipalArn is null)
        {
            throw kind switch
            {
                IamEntityKind.User => AwsErrors.NoSuchUser(name),
                IamEntityKind.Role => AwsErrors.NoSuchRole(name),
                _ => AwsErrors.NoSuchGroup(name),
            };
        }

        var policies = sources.Sources.Concat(InputPolicies(args)).ToList();
        return Simulate("SimulatePrincipalPolicy", policies, args);
    }

    private async Task<XElement?> SimulateCustomPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, "SimulateCustomPolicy", "*", cancellationToken);
        var policies = InputPolicies(args);
        if (policies.Count == 0)
        {
            _ = args.Required("PolicyInputList");
        }

        return Simulate("SimulateCustomPolicy", policies, args);
    }

    private static XElement Simulate(string action, List<EffectivePolicy> policies, QueryArgs args)
    {
        var actions = args.List("ActionNames");
        if (actions.Count == 0)
        {
            _ = args.Required("ActionNames");
        }

        var resources = args.List("ResourceArns");
        if (resources.Count == 0)
        {
            resources.Add("*");
        }

        var context = SimulationContext(args);
        var identityPolicies = policies.Select(p => p.Policy).ToList();
        var results = new List<object?[]>();
        foreach (var actionName in actions)
        {
            foreach (var resource in resources)
            {
                var request = new PolicyRequest(actionName, resource, context);
                var decision = PolicyEvaluator.Evaluate(identityPolicies, request).Decision;
                var matched = new List<object?[]>();
                var missing = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var policy in policies)
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
                        if (decision != PolicyDecision.ImplicitDeny && statement.Effect == decisive && statement.ConditionsHold(context))
                        {
                            matched.Add([E("SourcePolicyId", policy.Name), E("SourcePolicyType", policy.SourceType)]);
                        }
                    }
                }

                results.Add(
                [
                    E("EvalActionName", actionName), E("EvalResourceName", resource), E("EvalDecision", DecisionName(decision)),
                    Members("MatchedStatements", matched), Members("MissingContextValues", missing),
                ]);
            }
        }

        var (page, paging) = Page(results, args);
        return Result(action, Members("EvaluationResults", page), paging);
    }

    private List<EffectivePolicy> InputPolicies(QueryArgs args) =>
        args.List("PolicyInputList")
            .Select((document, i) => new EffectivePolicy(
                new IdentityPolicy($"PolicyInputList.{i + 1}", PolicyDocument.Parse(document, PolicyKind.Inline)), $"PolicyInputList.{i + 1}", "none"))
            .ToList();

    /// <summary>The simulator only knows the context keys it is given (as AWS's does).</summary>
    private static ConditionContext SimulationContext(QueryArgs args)
    {
        var context = new ConditionContext();
        foreach (var entry in args.Structures("ContextEntries"))
        {
            if (!entry.TryGetValue("ContextKeyName", out var key))
            {
                continue;
            }

            var values = entry
                .Where(e => e.Key.StartsWith("ContextKeyValues.member.", StringComparison.Ordinal))
                .OrderBy(e => int.Parse(e.Key["ContextKeyValues.member.".Length..], System.Globalization.CultureInfo.InvariantCulture))
                .Select(e => e.Value)
                .ToList();
            context.SetMany(key, values);
        }

        return context;
    }

    private static string DecisionName(PolicyDecision decision) => decision switch
    {
        PolicyDecision.Allow => "allowed",
        PolicyDecision.ExplicitDeny => "explicitDeny",
        _ => "implicitDeny",
    };

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
