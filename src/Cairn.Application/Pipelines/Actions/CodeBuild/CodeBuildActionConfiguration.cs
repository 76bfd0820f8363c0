using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Core.Errors;

namespace Cairn.Application.Pipelines.Actions.CodeBuild;

/// <summary>
/// A CodeBuild action's configuration, read as AWS documents it: ProjectName, PrimarySource (required with several
/// inputs), EnvironmentVariables (a JSON array of {name, value, type}), BatchEnabled. A mistake is an
/// <see cref="AwsException"/> with CodePipeline's ConfigurationError and the fix.
/// </summary>
/// <param name="Inputs">The input artifacts with the primary one first.</param>
/// <param name="Variables">The environment variables as StartBuild's environmentVariablesOverride.</param>
public sealed record CodeBuildActionConfiguration(string ProjectName, IReadOnlyList<ActionArtifact> Inputs, JsonArray Variables)
{
    private static readonly string[] VariableKeys = ["name", "value", "type"];

    public static CodeBuildActionConfiguration Read(IReadOnlyDictionary<string, string> configuration, IReadOnlyList<ActionArtifact> inputs)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!configuration.TryGetValue("ProjectName", out var project) || string.IsNullOrWhiteSpace(project))
        {
            throw AwsErrors.CodeBuildActionMissingProject();
        }

        if (configuration.TryGetValue("BatchEnabled", out var batch) && batch.Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            throw AwsErrors.CodeBuildActionBatchUnavailable();
        }

        var variables = configuration.TryGetValue("EnvironmentVariables", out var json) && !string.IsNullOrWhiteSpace(json) ? ReadVariables(json) : [];
        return new CodeBuildActionConfiguration(project.Trim(), Ordered(configuration.GetValueOrDefault("PrimarySource"), inputs), variables);
    }

    /// <summary>The primary input first, the others in declaration order.</summary>
    private static List<ActionArtifact> Ordered(string? primary, IReadOnlyList<ActionArtifact> inputs)
    {
        var names = inputs.Select(i => i.Name).ToList();
        if (string.IsNullOrWhiteSpace(primary))
        {
            return inputs.Count > 1 ? throw AwsErrors.CodeBuildActionPrimarySourceRequired(names) : [.. inputs];
        }

        var chosen = inputs.FirstOrDefault(i => i.Name == primary.Trim())
            ?? throw AwsErrors.CodeBuildActionUnknownPrimarySource(primary, names);
        return [chosen, .. inputs.Where(i => i != chosen)];
    }

    private static JsonArray ReadVariables(string json)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(json);
        }
        catch (JsonException error)
        {
            throw AwsErrors.CodeBuildActionVariables($"it is not JSON ({error.Message})");
        }

        if (parsed is not JsonArray array)
        {
            throw AwsErrors.CodeBuildActionVariables("it must be a JSON array of objects");
        }

        var result = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject variable)
            {
                throw AwsErrors.CodeBuildActionVariables($"entry {i + 1} is not an object");
            }

            if (variable.Select(p => p.Key).FirstOrDefault(k => !VariableKeys.Contains(k)) is { } unknown)
            {
                throw AwsErrors.CodeBuildActionVariables($"entry {i + 1} has the member '{unknown}'; an entry has name, value and type only");
            }

            var name = Text(variable, "name", i);
            var value = Text(variable, "value", i);
            var type = variable["type"] is null ? EnvironmentVariable.Plaintext : Text(variable, "type", i);
            if (name.Length == 0)
            {
                throw AwsErrors.CodeBuildActionVariables($"entry {i + 1} has an empty name");
            }

            if (!seen.Add(name))
            {
                throw AwsErrors.CodeBuildActionVariables($"the name {name} is given twice");
            }

            switch (type)
            {
                case EnvironmentVariable.Plaintext or EnvironmentVariable.ParameterStore:
                    break;
                case EnvironmentVariable.SecretsManager:
                    throw AwsErrors.CodeBuildActionSecretsManager(name);
                default:
                    throw AwsErrors.CodeBuildActionVariables($"{name} has type '{type}'; the type is PLAINTEXT (the default) or PARAMETER_STORE");
            }

            result.Add(new JsonObject { ["name"] = name, ["value"] = value, ["type"] = type });
        }

        return result;
    }

    private static string Text(JsonObject variable, string member, int index) =>
        variable[member] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw AwsErrors.CodeBuildActionVariables($"entry {index + 1} needs a string '{member}'");
}
