using System.Text.RegularExpressions;
using Cairn.Core.Pipelines.Executions;

namespace Cairn.Core.Pipelines.Conditions;

/// <summary>What one rule found: Succeeded, Failed (with an error code and message), or InProgress until <see cref="RetryAt"/>.</summary>
public sealed record RuleVerdict(string Status, string Summary, string? ErrorCode = null, DateTimeOffset? RetryAt = null)
{
    public static RuleVerdict Pass(string summary) => new(ExecutionStatuses.Succeeded, summary);

    public static RuleVerdict Fail(string code, string message) => new(ExecutionStatuses.Failed, message, code);
}

/// <summary>
/// Evaluates the rules Cairn runs, with no I/O: VariableCheck on the resolved configuration, DeploymentWindow against
/// the clock. Any other provider fails, naming what to use instead.
/// </summary>
public static class RuleEvaluation
{
    /// <summary>How long a beforeEntry DeploymentWindow waits for its window when the rule declares no timeoutInMinutes.</summary>
    public static readonly TimeSpan DefaultWindowWait = TimeSpan.FromDays(7);

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <param name="resolved">The configuration with its variables resolved; null when <paramref name="unresolved"/> could not be.</param>
    /// <param name="waitingSince">For a beforeEntry condition, when it started waiting: a closed window waits (until the rule's timeout) rather than failing.</param>
    public static RuleVerdict Evaluate(RulePlan rule, IReadOnlyDictionary<string, string>? resolved, string? unresolved, DateTimeOffset now, DateTimeOffset? waitingSince)
    {
        if (RuleTypes.Find(rule.Type.Provider) is not { CairnRuns: true })
        {
            return RuleVerdict.Fail("ConfigurationError",
                $"Rule provider {rule.Type.Provider} (rule '{rule.Name}') is not available in Cairn; {RuleTypes.Instead}.");
        }

        if (resolved is null)
        {
            return RuleVerdict.Fail("ConfigurationError", $"Unable to resolve the variable {unresolved} in the configuration of rule '{rule.Name}'.");
        }

        return rule.Type.Provider == RuleTypes.VariableCheck
            ? VariableCheck(rule, resolved)
            : DeploymentWindow(rule, resolved, now, waitingSince);
    }

    private static RuleVerdict VariableCheck(RulePlan rule, IReadOnlyDictionary<string, string> configuration)
    {
        var variable = configuration.GetValueOrDefault("Variable") ?? string.Empty;
        var value = configuration.GetValueOrDefault("Value") ?? string.Empty;
        var op = configuration.GetValueOrDefault("Operator");
        bool passed;
        try
        {
            passed = op switch
            {
                "EQ" => variable == value,
                "NE" => variable != value,
                "CONTAINS" => variable.Contains(value, StringComparison.Ordinal),
                "MATCHES" => Regex.IsMatch(variable, $"^(?:{value})$", RegexOptions.CultureInvariant, RegexTimeout),
                _ => throw new ArgumentException($"Operator '{op}' is not one of EQ, NE, CONTAINS, MATCHES."),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or RegexMatchTimeoutException)
        {
            return RuleVerdict.Fail("ConfigurationError", $"Rule '{rule.Name}' cannot compare: {ex.Message}");
        }

        var declared = rule.Configuration.GetValueOrDefault("Variable");
        var said = $"{declared} is '{variable}', and the rule checks {op} '{value}'";
        return passed ? RuleVerdict.Pass($"Passed: {said}.") : RuleVerdict.Fail("ConditionNotMet", $"Rule '{rule.Name}' failed: {said}.");
    }

    private static RuleVerdict DeploymentWindow(RulePlan rule, IReadOnlyDictionary<string, string> configuration, DateTimeOffset now, DateTimeOffset? waitingSince)
    {
        var expression = configuration.GetValueOrDefault("Cron") ?? string.Empty;
        var zoneName = configuration.GetValueOrDefault("TimeZone") ?? "UTC";
        var cron = DeploymentWindowCron.TryParse(expression, out var error);
        var zone = DeploymentWindowCron.Zone(zoneName);
        if (cron is null || zone is null)
        {
            return RuleVerdict.Fail("ConfigurationError", cron is null ? $"Rule '{rule.Name}': the Cron '{expression}' {error}." : $"Rule '{rule.Name}': unknown TimeZone '{zoneName}'.");
        }

        if (cron.IsOpen(now, zone))
        {
            return RuleVerdict.Pass($"Within the deployment window '{expression}' ({zoneName}).");
        }

        var bound = rule.TimeoutInMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : DefaultWindowWait;
        if (waitingSince is { } since)
        {
            var deadline = since + bound;
            if (now < deadline && cron.NextOpen(now, zone, deadline - now) is { } opens)
            {
                return new RuleVerdict(ExecutionStatuses.InProgress,
                    $"Waiting for the deployment window '{expression}' ({zoneName}), which opens at {opens.UtcDateTime:yyyy-MM-dd HH:mm} UTC.", RetryAt: opens);
            }

            return RuleVerdict.Fail("ConditionNotMet",
                $"Rule '{rule.Name}' failed: the deployment window '{expression}' ({zoneName}) does not open within {Describe(bound)} of the stage being reached "
                + "(the rule's timeoutInMinutes); override the condition (override-stage-condition) to enter now, or widen the window.");
        }

        var next = cron.NextOpen(now, zone, DefaultWindowWait);
        return RuleVerdict.Fail("ConditionNotMet",
            $"Rule '{rule.Name}' failed: {now.UtcDateTime:yyyy-MM-dd HH:mm} UTC is outside the deployment window '{expression}' ({zoneName})"
            + (next is { } at ? $"; it next opens at {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC." : "."));
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays} days" : $"{span.TotalMinutes} minutes";
}
