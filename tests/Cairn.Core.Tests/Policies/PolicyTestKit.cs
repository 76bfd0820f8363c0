using Cairn.Core.Identity.Policies;

namespace Cairn.Core.Tests.Policies;

/// <summary>Small helpers shared by the policy tests.</summary>
internal static class PolicyTestKit
{
    public static PolicyDocument Doc(string json, PolicyKind kind = PolicyKind.Inline) => PolicyDocument.Parse(json, kind);

    public static PolicyEvaluation Evaluate(string action, string resource, ConditionContext? context, params string[] policies) =>
        PolicyEvaluator.Evaluate(
            policies.Select((json, i) => new IdentityPolicy($"policy{i}", Doc(json))).ToList(),
            new PolicyRequest(action, resource, context ?? new ConditionContext()));

    public static PolicyDecision Decide(string action, string resource, ConditionContext? context, params string[] policies) =>
        Evaluate(action, resource, context, policies).Decision;

    /// <summary>One 2012-10-17 statement from its JSON fields, e.g. <c>"Effect":"Allow","Action":"s3:*","Resource":"*"</c>.</summary>
    public static string Statement(string fields) => """{"Version":"2012-10-17","Statement":{""" + fields + "}}";

    public static ConditionContext Ctx(params (string Key, string Value)[] values)
    {
        var context = new ConditionContext();
        foreach (var (key, value) in values)
        {
            context.Set(key, value);
        }

        return context;
    }
}
