using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Buildspec;

namespace Cairn.Core.Pipelines.Lint;

public static partial class PipelineLinter
{
    private static readonly string[] EnvironmentVariableTypes = ["PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"];

    private static void CheckActions(List<PlannedAction> actions, LintContext context)
    {
        foreach (var action in actions)
        {
            var definition = ActionTypes.All.FirstOrDefault(t => t.Category == action.Type.Category && t.Owner == action.Type.Owner
                && t.Provider == action.Type.Provider && t.Version == action.Type.Version);
            if (definition is { RunsInCairn: false } || action.Type.Owner is not "AWS")
            {
                context.Add(DiagnosticSeverity.Warning, PipelineDiagnosticCodes.ProviderNotInCairn,
                    $"{action.Describe}: provider {action.Type.Provider} ({action.Type.Owner}) is not available in Cairn: an execution fails at this action",
                    action.Path + ".actionTypeId", $"use {definition?.Instead ?? "one of the action types Cairn runs (aws codepipeline list-action-types)"}");
            }

            if (action.Type.Provider == "CodeBuild" && action.Declaration["configuration"] is JsonObject configuration
                && Text(configuration, "EnvironmentVariables") is { } variables)
            {
                CheckEnvironmentVariables(action, variables, context);
            }
        }
    }

    /// <summary>The CodeBuild action's EnvironmentVariables: a JSON array of {name, value, type}.</summary>
    private static void CheckEnvironmentVariables(PlannedAction action, string text, LintContext context)
    {
        var path = action.Path + ".configuration.EnvironmentVariables";
        const string Shape = "write it as a JSON array in a string: \"[{\\\"name\\\":\\\"TAG\\\",\\\"value\\\":\\\"#{SourceVariables.CommitId}\\\",\\\"type\\\":\\\"PLAINTEXT\\\"}]\"";
        foreach (var (entry, problem) in EnvironmentVariableEntries(text))
        {
            if (problem is not null)
            {
                context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.BadEnvironmentVariables, $"{action.Describe}: EnvironmentVariables {problem}", path, Shape);
                continue;
            }

            var type = Text(entry!, "type") ?? "PLAINTEXT";
            var name = Text(entry!, "name");
            if (!EnvironmentVariableTypes.Contains(type, StringComparer.Ordinal))
            {
                context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.BadEnvironmentVariables,
                    $"{action.Describe}: environment variable {name} has type '{type}'", path, "the types are PLAINTEXT, PARAMETER_STORE and SECRETS_MANAGER");
            }
            else if (type == "SECRETS_MANAGER")
            {
                context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.BadEnvironmentVariables,
                    $"{action.Describe}: environment variable {name} is of type SECRETS_MANAGER, which Cairn does not have", path,
                    $"keep the secret in the Parameter Store as a SecureString (aws ssm put-parameter --type SecureString --name /... --value ...) and make {name} a PARAMETER_STORE variable naming it");
            }
        }
    }

    /// <summary>Each entry of the EnvironmentVariables text, or what is wrong with it.</summary>
    internal static IEnumerable<(JsonObject? Entry, string? Problem)> EnvironmentVariableEntries(string text)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(text);
        }
        catch (JsonException error)
        {
            return [(null, $"is not valid JSON ({error.Message.Split(" Path:")[0]})")];
        }

        if (parsed is not JsonArray array)
        {
            return [(null, "is not a JSON array")];
        }

        return array.Select(item => item is JsonObject entry && Text(entry, "name") is { Length: > 0 } && Text(entry, "value") is not null
            ? (entry, (string?)null)
            : ((JsonObject?)null, $"has an entry without a name and a value: {item?.ToJsonString() ?? "null"}"));
    }
}
