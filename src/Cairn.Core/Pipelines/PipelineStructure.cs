using System.Text.Json.Nodes;
using Cairn.Core.Buildspec;
using Cairn.Core.Errors;

namespace Cairn.Core.Pipelines;

/// <summary>
/// AWS's rules for a pipeline's structure, checked on create and update before anything is stored; the first broken rule
/// is thrown with AWS's exception code and a message that names the stage and action and says how to fix it. The
/// declaration has passed the model's shape checks and <see cref="PipelineDeclarations.Normalize"/>.
/// </summary>
public static partial class PipelineStructure
{
    public const int MinStages = 2;
    public const int MaxStages = 50;
    public const int MaxActionsPerStage = 50;

    public static void Check(JsonObject declaration, string region)
    {
        var name = Text(declaration, "name")!;
        var stages = declaration["stages"]!.AsArray().Select(s => s!.AsObject()).ToList();
        CheckArtifactStores(declaration, stages, region);
        if (stages.Count < MinStages)
        {
            throw AwsErrors.TooFewStages(name, stages.Count);
        }

        if (stages.Count > MaxStages)
        {
            throw AwsErrors.TooManyStages(name, stages.Count);
        }

        var stageNames = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < stages.Count; index++)
        {
            var stage = stages[index];
            var stageName = Text(stage, "name")!;
            if (!stageNames.Add(stageName))
            {
                throw AwsErrors.DuplicateStageName(stageName);
            }

            CheckStage(stage, stageName, isFirst: index == 0, region);
        }

        CheckArtifacts(stages);
        CheckNamespaces(stages);
        CheckV2Features(declaration, name, stages);
        CheckConditions(declaration, name, stages);
    }

    private static void CheckArtifactStores(JsonObject declaration, List<JsonObject> stages, string region)
    {
        var single = declaration["artifactStore"];
        var perRegion = declaration["artifactStores"]?.AsObject();
        if (single is null && perRegion is null)
        {
            throw AwsErrors.ArtifactStoreMissing();
        }

        if (single is not null && perRegion is not null)
        {
            throw AwsErrors.ArtifactStoreBoth();
        }

        foreach (var (stageName, action) in Actions(stages))
        {
            var actionRegion = Text(action, "region");
            if (actionRegion is null || actionRegion == region)
            {
                continue;
            }

            var where = $"action '{Text(action, "name")}' in stage '{stageName}' (region '{actionRegion}')";
            if (perRegion is null || !perRegion.ContainsKey(actionRegion))
            {
                throw AwsErrors.ArtifactStoresMissRegion(actionRegion, where);
            }
        }

        if (perRegion is not null && !perRegion.ContainsKey(region))
        {
            throw AwsErrors.ArtifactStoresMissRegion(region, "the pipeline itself (its own region)");
        }
    }

    private static void CheckStage(JsonObject stage, string stageName, bool isFirst, string region)
    {
        var actions = stage["actions"]!.AsArray().Select(a => a!.AsObject()).ToList();
        if (actions.Count == 0)
        {
            throw AwsErrors.StageWithoutActions(stageName);
        }

        if (actions.Count > MaxActionsPerStage)
        {
            throw AwsErrors.TooManyActionsInStage(stageName, actions.Count);
        }

        var blockers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var blocker in stage["blockers"]?.AsArray() ?? new JsonArray())
        {
            var blockerName = Text(blocker!.AsObject(), "name")!;
            if (!blockers.Add(blockerName))
            {
                throw AwsErrors.DuplicateBlockerName(stageName, blockerName);
            }
        }

        var actionNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            var actionName = Text(action, "name")!;
            if (!actionNames.Add(actionName))
            {
                throw AwsErrors.DuplicateActionName(stageName, actionName);
            }

            var category = Text(action["actionTypeId"]!.AsObject(), "category")!;
            if (isFirst && category != ActionTypes.Source)
            {
                throw AwsErrors.FirstStageNotSource(stageName, actionName, category);
            }

            if (!isFirst && category == ActionTypes.Source)
            {
                throw AwsErrors.SourceActionOutsideFirstStage(stageName, actionName);
            }

            PipelineActionRules.Check(action, actionName, Text(action, "region") ?? region);
        }
    }

    /// <summary>
    /// Walks the actions in the order they run (stage by stage, runOrder within a stage): each input must be an output
    /// already made, and each output name is new.
    /// </summary>
    private static void CheckArtifacts(List<JsonObject> stages)
    {
        var producers = new Dictionary<string, (string Stage, string Action, int Position)>(StringComparer.Ordinal);
        var position = 0;
        foreach (var stage in stages)
        {
            foreach (var action in stage["actions"]!.AsArray().Select(a => a!.AsObject()))
            {
                foreach (var output in Names(action, "outputArtifacts"))
                {
                    if (producers.TryGetValue(output, out var first))
                    {
                        throw AwsErrors.DuplicateOutputArtifact(output, Text(stage, "name")!, Text(action, "name")!, first.Stage, first.Action);
                    }

                    producers[output] = (Text(stage, "name")!, Text(action, "name")!, position + RunOrder(action));
                }
            }

            position += 1000;
        }

        position = 0;
        foreach (var stage in stages)
        {
            var stageName = Text(stage, "name")!;
            foreach (var action in stage["actions"]!.AsArray().Select(a => a!.AsObject()))
            {
                var at = position + RunOrder(action);
                foreach (var input in Names(action, "inputArtifacts"))
                {
                    if (!producers.TryGetValue(input, out var producer))
                    {
                        var earlier = producers.Where(p => p.Value.Position < at).Select(p => p.Key).ToList();
                        throw AwsErrors.InputArtifactNotProduced(input, stageName, Text(action, "name")!, DidYouMean.Suggest(input, earlier));
                    }

                    if (producer.Position >= at)
                    {
                        throw AwsErrors.InputArtifactProducedLater(input, stageName, Text(action, "name")!, producer.Stage, producer.Action);
                    }
                }
            }

            position += 1000;
        }
    }

    private static void CheckNamespaces(List<JsonObject> stages)
    {
        var owners = new Dictionary<string, (string Stage, string Action)>(StringComparer.Ordinal);
        foreach (var (stageName, action) in Actions(stages))
        {
            if (Text(action, "namespace") is not { } ns)
            {
                continue;
            }

            if (owners.TryGetValue(ns, out var first))
            {
                throw AwsErrors.DuplicateNamespace(ns, stageName, Text(action, "name")!, first.Stage, first.Action);
            }

            owners[ns] = (stageName, Text(action, "name")!);
        }
    }

    private static void CheckV2Features(JsonObject declaration, string name, List<JsonObject> stages)
    {
        var variables = declaration["variables"]?.AsArray() ?? new JsonArray();
        var triggers = declaration["triggers"]?.AsArray() ?? new JsonArray();
        if (Text(declaration, "pipelineType") == PipelineDeclarations.V1)
        {
            if (variables.Count > 0)
            {
                throw AwsErrors.NeedsV2(name, "pipeline-level variables");
            }

            if (triggers.Count > 0)
            {
                throw AwsErrors.NeedsV2(name, "triggers");
            }

            if (Text(declaration, "executionMode") is { } mode && mode != PipelineDeclarations.Superseded)
            {
                throw AwsErrors.NeedsV2(name, $"the {mode} execution mode and all but SUPERSEDED");
            }
        }

        var variableNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in variables)
        {
            var variableName = Text(variable!.AsObject(), "name")!;
            if (!variableNames.Add(variableName))
            {
                throw AwsErrors.DuplicatePipelineVariable(variableName);
            }
        }

        var connectionSources = stages[0]["actions"]!.AsArray().Select(a => a!.AsObject())
            .Where(a => Text(a["actionTypeId"]!.AsObject(), "provider") == "CodeStarSourceConnection")
            .Select(a => Text(a, "name")!).ToList();
        foreach (var trigger in triggers)
        {
            var sourceAction = Text(trigger!["gitConfiguration"]!.AsObject(), "sourceActionName")!;
            if (!connectionSources.Contains(sourceAction, StringComparer.Ordinal))
            {
                throw AwsErrors.TriggerSourceActionNotFound(sourceAction, DidYouMean.Suggest(sourceAction, connectionSources));
            }
        }
    }

    private static IEnumerable<(string Stage, JsonObject Action)> Actions(List<JsonObject> stages) =>
        stages.SelectMany(stage => stage["actions"]!.AsArray().Select(a => (Text(stage, "name")!, a!.AsObject())));

    private static IEnumerable<string> Names(JsonObject action, string member) =>
        (action[member]?.AsArray() ?? new JsonArray()).Select(artifact => Text(artifact!.AsObject(), "name")!);

    private static int RunOrder(JsonObject action) => action["runOrder"]?.GetValue<int>() ?? 1;

    internal static string? Text(JsonObject node, string member) => node[member]?.GetValue<string>();
}
