namespace Cairn.Core.Errors;

/// <summary>
/// CodePipeline's stage-condition errors (structure checks of rules, OverrideStageCondition) and the execution limit.
/// AWS's codes; AWS's texts are not known ("verify"), so each message names what is wrong and how to fix it.
/// </summary>
public static partial class AwsErrors
{
    /// <summary>verify.</summary>
    public static AwsException ConditionNotOverridable(string stage, string executionId, string kind, string? status) =>
        new("ConditionNotOverridableException", status is null
            ? $"Execution '{executionId}' has no {kind} condition to override in stage '{stage}': it has not reached that condition, or the stage declares none."
            : $"The {kind} condition of execution '{executionId}' in stage '{stage}' is {status}; only a condition that is InProgress "
                + "(a beforeEntry condition waiting for its deployment window) can be overridden. get-pipeline-state shows it in beforeEntryConditionState.");

    /// <summary>AWS's description of the exception, then Cairn's count and fix (verify AWS's exact text).</summary>
    public static AwsException ConcurrentPipelineExecutionsLimitExceeded(string pipeline, string mode, int limit) =>
        new("ConcurrentPipelineExecutionsLimitExceededException",
            $"The pipeline has reached the limit for concurrent pipeline executions: pipeline '{pipeline}' runs in {mode} mode and already has {limit} "
            + "executions in progress or waiting, the most CodePipeline allows. Nothing was started; wait for some to finish, or stop the ones you no "
            + "longer need (aws codepipeline stop-pipeline-execution --abandon), then start again.");

    /// <summary>verify.</summary>
    public static AwsException ConditionResultNotAllowed(string stage, string member, string result, IEnumerable<string> allowed) =>
        InvalidStructure($"Stage '{stage}': the {member} condition's result {result} is not allowed there; {member} takes {string.Join(" or ", allowed)}.");

    /// <summary>verify.</summary>
    public static AwsException ConditionRollbackInParallel(string stage, string member) =>
        InvalidStructure($"Stage '{stage}': a {member} condition with result ROLLBACK cannot be added to a pipeline in PARALLEL mode, where stages are not rolled back; use FAIL, or another execution mode.");

    /// <summary>verify.</summary>
    public static AwsException RuleTypeNotAvailable(string stage, string rule, string provider, string? suggestion, IEnumerable<string> providers) =>
        InvalidStructure($"Stage '{stage}', rule '{rule}': RuleType (Category: 'Rule', Provider: '{provider}', Owner: 'AWS', Version: '1') is not a rule type"
            + (suggestion is null ? "" : $". Did you mean '{suggestion}'?") + $" The rule providers are {string.Join(", ", providers)}.");

    /// <summary>verify.</summary>
    public static AwsException MissingRuleConfiguration(string stage, string rule, string provider, string key, IEnumerable<string> keys) =>
        InvalidStructure($"Stage '{stage}', rule '{rule}' ({provider}) is missing required configuration '{key}'; {provider} takes {string.Join(", ", keys)}.");

    /// <summary>verify.</summary>
    public static AwsException UnknownRuleConfiguration(string stage, string rule, string provider, string key, string? suggestion, IEnumerable<string> keys) =>
        InvalidStructure($"Stage '{stage}', rule '{rule}' ({provider}) has configuration '{key}', which {provider} does not take"
            + (suggestion is null ? "" : $" (did you mean '{suggestion}'?)") + $"; it takes {string.Join(", ", keys)}.");

    /// <summary>verify.</summary>
    public static AwsException InvalidRuleConfiguration(string stage, string rule, string message) =>
        InvalidStructure($"Stage '{stage}', rule '{rule}': {message}");
}
