using Cairn.Application.Identity.Authorization;
using System.Xml.Linq;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Policies;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>The policy simulator: adapters over <see cref="PolicySimulator"/>.</summary>
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
        var actions = RequiredList(args, "ActionNames");
        var results = await _simulator.SimulatePrincipalPolicyAsync(
            context, source, args.List("PolicyInputList"), actions, args.List("ResourceArns"), SimulationContext(args), cancellationToken);
        return SimulationResponse("SimulatePrincipalPolicy", results, args);
    }

    private async Task<XElement?> SimulateCustomPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var policies = RequiredList(args, "PolicyInputList");
        var actions = RequiredList(args, "ActionNames");
        var results = await _simulator.SimulateCustomPolicyAsync(context, policies, actions, args.List("ResourceArns"), SimulationContext(args), cancellationToken);
        return SimulationResponse("SimulateCustomPolicy", results, args);
    }

    private static List<string> RequiredList(QueryArgs args, string member)
    {
        var items = args.List(member);
        if (items.Count == 0)
        {
            _ = args.Required(member);
        }

        return items;
    }

    private static XElement SimulationResponse(string action, IReadOnlyList<SimulationResult> results, QueryArgs args)
    {
        var (page, paging) = Page(results, args);
        return Result(action, Members("EvaluationResults", page.Select(r => new object?[]
        {
            E("EvalActionName", r.Action), E("EvalResourceName", r.Resource), E("EvalDecision", PolicySimulator.DecisionName(r.Decision)),
            Members("MatchedStatements", r.MatchedStatements.Select(m => new object?[] { E("SourcePolicyId", m.PolicyId), E("SourcePolicyType", m.SourceType) })),
            Members("MissingContextValues", r.MissingContextValues),
            r.AllowedByPermissionsBoundary is { } allowed
                ? new XElement("PermissionsBoundaryDecisionDetail", E("AllowedByPermissionsBoundary", allowed))
                : null,
        })), paging);
    }

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
}
