using System.Globalization;
using System.Text.Json.Nodes;

namespace Cairn.Cli.Pipelines;

/// <summary>One action of the watched execution: its status and times (ListActionExecutions), what it started, why it failed, an approval's token.</summary>
internal sealed record ActionView(
    string Stage, string Action, string? Status, DateTimeOffset? Start, DateTimeOffset? Updated, string? ExternalId, string? ExternalUrl,
    string? Summary, string? Error, string? Token, string? Provider)
{
    public string Key => Stage + "/" + Action;

    public bool IsCodeBuild => Provider == "CodeBuild";
}

/// <summary>A stage in declaration order with this execution's status in it, and whether its inbound transition is disabled.</summary>
internal sealed record StageView(string Name, string? Status, bool TransitionDisabled, string? DisabledReason, IReadOnlyList<ActionView> Actions);

/// <summary>
/// What `cairn pipeline watch` shows of one execution at one moment, made from AWS's own answers: GetPipelineExecution
/// (status, trigger), GetPipelineState (the stages in order, transitions, an approval's token) and ListActionExecutions
/// for this execution (each action's status, times, external execution and error). Nothing Cairn-specific: it works
/// against any CodePipeline.
/// </summary>
internal sealed record WatchSnapshot(
    string Pipeline, string ExecutionId, string Status, string? StatusSummary, string? Trigger, IReadOnlyList<StageView> Stages)
{
    public static readonly string[] Terminal = ["Succeeded", "Failed", "Stopped", "Superseded", "Cancelled"];

    public bool IsOver => Terminal.Contains(Status, StringComparer.Ordinal);

    public IEnumerable<ActionView> Actions => Stages.SelectMany(s => s.Actions);

    public static WatchSnapshot From(string pipeline, JsonObject execution, JsonObject state, JsonObject actionExecutions)
    {
        var details = execution["pipelineExecution"] as JsonObject ?? [];
        var executionId = Text(details, "pipelineExecutionId") ?? string.Empty;
        // The newest execution of each action wins (a retried action has several).
        var runs = (actionExecutions["actionExecutionDetails"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(d => Text(d, "pipelineExecutionId") is null || Text(d, "pipelineExecutionId") == executionId)
            .GroupBy(d => Text(d, "stageName") + "/" + Text(d, "actionName"))
            .ToDictionary(g => g.Key, g => g.OrderByDescending(d => Time(d, "startTime")).First(), StringComparer.Ordinal);

        var stages = new List<StageView>();
        foreach (var stage in (state["stageStates"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var stageName = Text(stage, "stageName") ?? string.Empty;
            var latest = stage["latestExecution"] as JsonObject;
            var ours = latest is not null && Text(latest, "pipelineExecutionId") == executionId;
            var transition = stage["inboundTransitionState"] as JsonObject;
            var actions = new List<ActionView>();
            foreach (var action in (stage["actionStates"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var actionName = Text(action, "actionName") ?? string.Empty;
                runs.TryGetValue(stageName + "/" + actionName, out var run);
                var result = run?["output"]?["executionResult"] as JsonObject;
                var stateLatest = action["latestExecution"] as JsonObject;
                // The approval token is only in GetPipelineState, and only while the stage's latest execution is ours.
                var token = ours && stateLatest is not null && Text(stateLatest, "status") == "InProgress" ? Text(stateLatest, "token") : null;
                actions.Add(new ActionView(
                    stageName, actionName, run is null ? null : Text(run, "status"), run is null ? null : Time(run, "startTime"),
                    run is null ? null : Time(run, "lastUpdateTime"),
                    result is null ? null : Text(result, "externalExecutionId"), result is null ? null : Text(result, "externalExecutionUrl"),
                    result is null ? null : Text(result, "externalExecutionSummary"),
                    result?["errorDetails"] is JsonObject error ? Text(error, "message") ?? Text(error, "code") : null,
                    token, run?["input"]?["actionTypeId"] is JsonObject type ? Text(type, "provider") : null));
            }

            stages.Add(new StageView(stageName, ours ? Text(latest!, "status") : null,
                transition is not null && transition["enabled"] is JsonValue enabled && enabled.TryGetValue<bool>(out var on) && !on,
                transition is null ? null : Text(transition, "disabledReason"), actions));
        }

        var trigger = details["trigger"] as JsonObject;
        return new WatchSnapshot(pipeline, executionId, Text(details, "status") ?? "Unknown", Text(details, "statusSummary"),
            trigger is null ? null : Text(trigger, "triggerType"), stages);
    }

    private static string? Text(JsonObject node, string member) =>
        node[member] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>AWS's timestamps: epoch seconds in JSON 1.1 (the SDKs' form), or ISO 8601.</summary>
    private static DateTimeOffset? Time(JsonObject node, string member) => node[member] switch
    {
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.Number =>
            DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) * 1000)),
        JsonValue value when value.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
        _ => null,
    };
}
