using System.Text.Json.Nodes;

namespace Cairn.Core.Pipelines.Executions;

/// <summary>
/// What the engine reads of a stored declaration (one version of a pipeline): the stages in order with their actions,
/// the role, the artifact stores, the execution mode and the pipeline-level variables. The structure was checked when
/// the declaration was stored.
/// </summary>
public sealed record PipelinePlan(
    string Name,
    int Version,
    string PipelineType,
    string ExecutionMode,
    string RoleArn,
    string? ArtifactStore,
    IReadOnlyDictionary<string, string> ArtifactStores,
    IReadOnlyList<StagePlan> Stages,
    IReadOnlyList<PipelineVariableDeclaration> Variables)
{
    public StagePlan? Stage(string name) => Stages.FirstOrDefault(s => s.Name == name);

    /// <summary>The stage after <paramref name="name"/>, or null for the last one.</summary>
    public StagePlan? After(string name)
    {
        var index = Stages.ToList().FindIndex(s => s.Name == name);
        return index >= 0 && index + 1 < Stages.Count ? Stages[index + 1] : null;
    }

    /// <summary>The store an action's artifacts go to: artifactStore, or artifactStores' entry for the action's region.</summary>
    public string StoreFor(string? region, string pipelineRegion) =>
        ArtifactStore ?? (ArtifactStores.TryGetValue(region ?? pipelineRegion, out var store) ? store : ArtifactStores.Values.First());

    public static PipelinePlan From(PipelineRecord pipeline)
    {
        var declaration = pipeline.ToDeclaration();
        var stores = declaration["artifactStores"]?.AsObject()
            .ToDictionary(p => p.Key, p => p.Value!["location"]!.GetValue<string>(), StringComparer.Ordinal) ?? [];
        return new PipelinePlan(
            pipeline.Name,
            pipeline.Version,
            pipeline.PipelineType,
            pipeline.ExecutionMode,
            declaration["roleArn"]!.GetValue<string>(),
            declaration["artifactStore"]?["location"]?.GetValue<string>(),
            stores,
            declaration["stages"]!.AsArray().Select(s => StagePlan.From(s!.AsObject())).ToList(),
            declaration["variables"]?.AsArray().Select(v => new PipelineVariableDeclaration(
                v!["name"]!.GetValue<string>(), v["defaultValue"]?.GetValue<string>())).ToList() ?? []);
    }
}

/// <summary>A stage: its actions, and what V2's onFailure says to do when it fails (FAIL, RETRY, ROLLBACK).</summary>
public sealed record StagePlan(string Name, IReadOnlyList<ActionPlan> Actions, string? OnFailure, string? OnFailureRetryMode)
{
    /// <summary>The runOrder groups in order.</summary>
    public IEnumerable<IGrouping<int, ActionPlan>> Groups => Actions.GroupBy(a => a.RunOrder).OrderBy(g => g.Key);

    public ActionPlan? Action(string name) => Actions.FirstOrDefault(a => a.Name == name);

    public static StagePlan From(JsonObject stage) => new(
        stage["name"]!.GetValue<string>(),
        stage["actions"]!.AsArray().Select(a => ActionPlan.From(a!.AsObject())).ToList(),
        stage["onFailure"]?["result"]?.GetValue<string>(),
        stage["onFailure"]?["retryConfiguration"]?["retryMode"]?.GetValue<string>());
}

/// <summary>An action as declared: its configuration still holds its <c>#{...}</c> variables.</summary>
public sealed record ActionPlan(
    string Name,
    ActionTypeId Type,
    int RunOrder,
    IReadOnlyDictionary<string, string> Configuration,
    IReadOnlyList<string> InputArtifacts,
    IReadOnlyList<string> OutputArtifacts,
    string? Namespace,
    string? Region,
    string? RoleArn,
    int? TimeoutInMinutes,
    IReadOnlyList<ActionEnvironmentVariable>? EnvironmentVariables = null)
{
    public bool IsApproval => Type.Category == ActionTypes.Approval && Type.Owner == "AWS" && Type.Provider == "Manual";

    public static ActionPlan From(JsonObject action)
    {
        var type = action["actionTypeId"]!;
        return new ActionPlan(
            action["name"]!.GetValue<string>(),
            new ActionTypeId(type["category"]!.GetValue<string>(), type["owner"]!.GetValue<string>(), type["provider"]!.GetValue<string>(), type["version"]!.GetValue<string>()),
            action["runOrder"]?.GetValue<int>() ?? 1,
            action["configuration"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal) ?? [],
            Names(action["inputArtifacts"]),
            Names(action["outputArtifacts"]),
            action["namespace"]?.GetValue<string>(),
            action["region"]?.GetValue<string>(),
            action["roleArn"]?.GetValue<string>(),
            action["timeoutInMinutes"]?.GetValue<int>(),
            action["environmentVariables"]?.AsArray().Select(v => new ActionEnvironmentVariable(
                v!["name"]!.GetValue<string>(), v["value"]!.GetValue<string>(), v["type"]?.GetValue<string>() ?? ActionEnvironmentVariable.PlainText)).ToList() ?? []);
    }

    private static List<string> Names(JsonNode? artifacts) =>
        artifacts?.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToList() ?? [];
}

/// <summary>An action's environmentVariables entry (V2): PLAINTEXT, or SECRETS_MANAGER (the value names a secret).</summary>
public sealed record ActionEnvironmentVariable(string Name, string Value, string Type)
{
    public const string PlainText = "PLAINTEXT";
}

public sealed record PipelineVariableDeclaration(string Name, string? DefaultValue);
