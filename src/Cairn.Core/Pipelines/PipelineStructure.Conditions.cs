using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Core.Buildspec;
using Cairn.Core.Errors;
using Cairn.Core.Pipelines.Conditions;

namespace Cairn.Core.Pipelines;

/// <summary>The stage conditions' structure: V2 only, each kind's results, known rule types and their configuration.</summary>
public static partial class PipelineStructure
{
    private static readonly string[] Operators = ["EQ", "NE", "CONTAINS", "MATCHES"];

    private static void CheckConditions(JsonObject declaration, string name, List<JsonObject> stages)
    {
        var parallel = Text(declaration, "executionMode") == "PARALLEL";
        foreach (var stage in stages)
        {
            var stageName = Text(stage, "name")!;
            foreach (var kind in new[] { ConditionKinds.BeforeEntry, ConditionKinds.OnSuccess, ConditionKinds.OnFailure })
            {
                var member = ConditionKinds.Member(kind);
                if (stage[member]?["conditions"]?.AsArray() is not { Count: > 0 } conditions)
                {
                    continue;
                }

                if (Text(declaration, "pipelineType") == PipelineDeclarations.V1)
                {
                    throw AwsErrors.NeedsV2(name, "stage conditions (beforeEntry, onSuccess, onFailure's conditions)");
                }

                var condition = conditions[0]!.AsObject();
                if (Text(condition, "result") is { } result)
                {
                    var allowed = ConditionKinds.ResultsFor(kind);
                    if (!allowed.Contains(result))
                    {
                        throw AwsErrors.ConditionResultNotAllowed(stageName, member, result, allowed);
                    }

                    if (parallel && result == ConditionKinds.Rollback)
                    {
                        throw AwsErrors.ConditionRollbackInParallel(stageName, member);
                    }
                }

                foreach (var rule in condition["rules"]?.AsArray() ?? [])
                {
                    CheckRule(stageName, rule!.AsObject());
                }
            }
        }
    }

    private static void CheckRule(string stage, JsonObject rule)
    {
        var ruleName = Text(rule, "name")!;
        var type = rule["ruleTypeId"]!.AsObject();
        var provider = Text(type, "provider")!;
        var providers = RuleTypes.All.Select(t => t.Provider).ToList();
        if (RuleTypes.Find(provider) is not { } definition || (Text(type, "version") ?? RuleTypeDefinition.Version) != RuleTypeDefinition.Version)
        {
            throw AwsErrors.RuleTypeNotAvailable(stage, ruleName, provider, DidYouMean.Suggest(provider, providers), providers);
        }

        var configuration = rule["configuration"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal) ?? [];
        var keys = definition.Keys.ToList();
        if (definition.Configuration.FirstOrDefault(p => p.Required && !configuration.ContainsKey(p.Name)) is { } missing)
        {
            throw AwsErrors.MissingRuleConfiguration(stage, ruleName, provider, missing.Name, keys);
        }

        if (!definition.CairnRuns)
        {
            return;
        }

        if (configuration.Keys.FirstOrDefault(k => !keys.Contains(k)) is { } unknown)
        {
            throw AwsErrors.UnknownRuleConfiguration(stage, ruleName, provider, unknown, DidYouMean.Suggest(unknown, keys), keys);
        }

        if (provider == RuleTypes.VariableCheck)
        {
            var op = configuration["Operator"];
            if (!Operators.Contains(op))
            {
                throw AwsErrors.InvalidRuleConfiguration(stage, ruleName, $"Operator '{op}' is not one of {string.Join(", ", Operators)}.");
            }

            if (op == "MATCHES" && !configuration["Value"].Contains("#{", StringComparison.Ordinal))
            {
                try
                {
                    _ = new Regex(configuration["Value"], RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException ex)
                {
                    throw AwsErrors.InvalidRuleConfiguration(stage, ruleName, $"Value '{configuration["Value"]}' is not a regular expression: {ex.Message}");
                }
            }

            return;
        }

        var cron = configuration["Cron"];
        if (!cron.Contains("#{", StringComparison.Ordinal) && DeploymentWindowCron.TryParse(cron, out var error) is null)
        {
            throw AwsErrors.InvalidRuleConfiguration(stage, ruleName, $"the Cron '{cron}' {error}.");
        }

        if (configuration.TryGetValue("TimeZone", out var zone) && !zone.Contains("#{", StringComparison.Ordinal) && DeploymentWindowCron.Zone(zone) is null)
        {
            throw AwsErrors.InvalidRuleConfiguration(stage, ruleName, $"TimeZone '{zone}' is not a time zone; give an IANA name such as 'America/New_York' or 'Europe/Paris', or UTC.");
        }
    }
}
