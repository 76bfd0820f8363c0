using System.Text.Json.Nodes;
using Cairn.Core.Buildspec;
using Cairn.Core.Errors;

namespace Cairn.Core.Pipelines;

/// <summary>
/// One action's rules: an AWS-owned action type must exist; for the types Cairn runs, the artifact counts and the
/// configuration keys (required ones present, no unknown ones) are checked as AWS checks them. ThirdParty and Custom
/// types are accepted as declared.
/// </summary>
internal static class PipelineActionRules
{
    public static void Check(JsonObject action, string actionName, string region)
    {
        var typeId = action["actionTypeId"]!.AsObject();
        var (category, owner, provider, version) =
            (Text(typeId, "category"), Text(typeId, "owner"), Text(typeId, "provider"), Text(typeId, "version"));
        if (owner != "AWS")
        {
            return;
        }

        var type = ActionTypes.Find(category, owner, provider, version);
        if (type is null)
        {
            var described = new ActionTypeDefinition(category, owner, provider, version, [], (0, 0), (0, 0)).Describe();
            var providers = ActionTypes.ProvidersIn(category);
            var suggestion = providers.Contains(provider, StringComparer.Ordinal) ? null : DidYouMean.Suggest(provider, providers);
            throw AwsErrors.ActionTypeNotAvailable(described, actionName, region, suggestion);
        }

        if (!type.RunsInCairn)
        {
            return;
        }

        CheckCount(actionName, "input", action["inputArtifacts"]?.AsArray().Count ?? 0, type.Inputs);
        CheckCount(actionName, "output", action["outputArtifacts"]?.AsArray().Count ?? 0, type.Outputs);
        CheckConfiguration(action["configuration"]?.AsObject() ?? new JsonObject(), actionName, type);
    }

    private static void CheckCount(string actionName, string kind, int count, (int Min, int Max) allowed)
    {
        if (count < allowed.Min)
        {
            throw AwsErrors.TooFewArtifacts(actionName, kind, count, allowed.Min);
        }

        if (count > allowed.Max)
        {
            throw AwsErrors.TooManyArtifacts(actionName, kind, count, allowed.Max);
        }
    }

    private static void CheckConfiguration(JsonObject configuration, string actionName, ActionTypeDefinition type)
    {
        var keys = type.Configuration.Select(p => p.Name).ToList();
        foreach (var (key, _) in configuration)
        {
            if (!keys.Contains(key, StringComparer.Ordinal))
            {
                throw AwsErrors.UnknownActionConfiguration(actionName, key, type.Provider, DidYouMean.Suggest(key, keys), keys);
            }
        }

        foreach (var property in type.Configuration.Where(p => p.Required))
        {
            if (!configuration.ContainsKey(property.Name))
            {
                throw AwsErrors.MissingActionConfiguration(actionName, property.Name, type.Provider, keys);
            }
        }

        if (type.Provider == "EKS" && !configuration.ContainsKey("ManifestFiles") && !configuration.ContainsKey("HelmChartLocation"))
        {
            throw AwsErrors.EksNeedsManifestsOrChart(actionName);
        }
    }

    private static string Text(JsonObject node, string member) => node[member]!.GetValue<string>();
}
