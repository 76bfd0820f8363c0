using System.Text.Json.Nodes;
using Cairn.Core.Buildspec;
using Cairn.Core.Pipelines.Conditions;

namespace Cairn.Core.Pipelines.Lint;

public static partial class PipelineLinter
{
    /// <summary>PL109: a stage condition's rule of a provider Cairn does not evaluate (LambdaInvoke, CloudWatchAlarm, ...): the condition fails at run time.</summary>
    private static void CheckConditionRules(JsonObject declaration, LintContext context)
    {
        var stages = declaration["stages"]!.AsArray();
        for (var s = 0; s < stages.Count; s++)
        {
            var stage = stages[s]!.AsObject();
            foreach (var kind in new[] { ConditionKinds.BeforeEntry, ConditionKinds.OnSuccess, ConditionKinds.OnFailure })
            {
                var member = ConditionKinds.Member(kind);
                var rules = stage[member]?["conditions"]?[0]?["rules"]?.AsArray() ?? [];
                for (var r = 0; r < rules.Count; r++)
                {
                    var provider = rules[r]?["ruleTypeId"]?["provider"]?.GetValue<string>();
                    if (provider is not null && RuleTypes.Find(provider) is not { CairnRuns: true })
                    {
                        context.Add(DiagnosticSeverity.Warning, PipelineDiagnosticCodes.RuleProviderNotInCairn,
                            $"stage '{Text(stage, "name")}', {member} rule '{rules[r]?["name"]?.GetValue<string>()}': rule provider {provider} is not available in Cairn: "
                            + "the condition fails at run time",
                            $"stages[{s}].{member}.conditions[0].rules[{r}].ruleTypeId", RuleTypes.Instead);
                    }
                }
            }
        }
    }
}
