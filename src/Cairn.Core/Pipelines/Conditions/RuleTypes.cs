namespace Cairn.Core.Pipelines.Conditions;

/// <summary>
/// A rule type AWS offers for stage conditions (category Rule, owner AWS, version 1), its configuration keys, and
/// whether Cairn evaluates it (<see cref="CairnRuns"/>); the others are accepted in a pipeline's structure and fail the
/// condition at run time, naming what to use instead.
/// </summary>
public sealed record RuleTypeDefinition(string Provider, IReadOnlyList<ActionConfigurationProperty> Configuration, bool CairnRuns, int MaxInputArtifacts = 0)
{
    public const string Category = "Rule";
    public const string Owner = "AWS";
    public const string Version = "1";

    public IEnumerable<string> Keys => Configuration.Select(p => p.Name);
}

/// <summary>AWS's rule types (the CodePipeline rule reference) and the condition kinds and results.</summary>
public static class RuleTypes
{
    public const string VariableCheck = "VariableCheck";
    public const string DeploymentWindow = "DeploymentWindow";

    /// <summary>What a failed condition says about a rule Cairn cannot evaluate.</summary>
    public const string Instead = "use VariableCheck (compare a variable with a value) or DeploymentWindow (a cron window) in the condition instead, or an action in the stage for the check";

    public static readonly IReadOnlyList<RuleTypeDefinition> All =
    [
        new("CloudWatchAlarm",
        [
            new("AlarmName", true, "The name of the CloudWatch alarm whose state the rule checks."),
            new("AlarmStates", false, "The alarm states that fail the rule, comma-separated (ALARM by default)."),
            new("WaitTime", false, "How long, in minutes, to watch the alarm before the rule succeeds."),
        ], CairnRuns: false),
        new("CodeBuild",
        [
            new("ProjectName", true, "The CodeBuild project the rule builds.", Key: true, Queryable: true),
            new("PrimarySource", false, "The input artifact that is the build's primary source."),
            new("BatchEnabled", false, "Whether the build is a batch build."),
            new("CombineArtifacts", false, "Whether a batch build's artifacts are combined."),
            new("EnvironmentVariables", false, "Environment variables for the build, as JSON."),
        ], CairnRuns: false, MaxInputArtifacts: 5),
        new("Commands", [], CairnRuns: false, MaxInputArtifacts: 10),
        new(DeploymentWindow,
        [
            new("Cron", true, "When deployments are allowed: a cron expression of 6 fields (seconds minutes hours day-of-month month day-of-week) and an optional year."),
            new("TimeZone", false, "The time zone the cron expression is read in (UTC by default)."),
        ], CairnRuns: true),
        new("LambdaInvoke",
        [
            new("FunctionName", true, "The Lambda function the rule invokes."),
            new("UserParameters", false, "A string passed to the function."),
        ], CairnRuns: false),
        new(VariableCheck,
        [
            new("Variable", true, "The variable to check, such as #{SourceVariables.BranchName}."),
            new("Value", true, "The value to compare the variable with."),
            new("Operator", true, "EQ, NE, CONTAINS or MATCHES (a regular expression the whole value must match)."),
        ], CairnRuns: true),
    ];

    public static RuleTypeDefinition? Find(string provider) => All.FirstOrDefault(t => t.Provider == provider);
}

/// <summary>The condition kinds (OverrideStageCondition's conditionType for the first two) and the results a condition engages.</summary>
public static class ConditionKinds
{
    public const string BeforeEntry = "BEFORE_ENTRY";
    public const string OnSuccess = "ON_SUCCESS";
    public const string OnFailure = "ON_FAILURE";

    public const string Fail = "FAIL";
    public const string Skip = "SKIP";
    public const string Rollback = "ROLLBACK";
    public const string Retry = "RETRY";

    /// <summary>The results AWS allows for each kind: entry FAIL or SKIP, success ROLLBACK or FAIL, failure ROLLBACK, FAIL or RETRY.</summary>
    public static IReadOnlyList<string> ResultsFor(string kind) => kind switch
    {
        BeforeEntry => [Fail, Skip],
        OnSuccess => [Rollback, Fail],
        _ => [Rollback, Fail, Retry],
    };

    /// <summary>The declaration's member for a kind.</summary>
    public static string Member(string kind) => kind switch
    {
        BeforeEntry => "beforeEntry",
        OnSuccess => "onSuccess",
        _ => "onFailure",
    };
}
