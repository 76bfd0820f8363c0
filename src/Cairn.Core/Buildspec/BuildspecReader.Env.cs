namespace Cairn.Core.Buildspec;

internal sealed partial class BuildspecReader
{
    private static readonly string[] EnvKeys = ["shell", "variables", "parameter-store", "secrets-manager", "exported-variables", "git-credential-helper"];
    private static readonly string[] EnvKeysV01 = ["plaintext", .. EnvKeys];

    private BuildspecEnv ReadEnv(YamlTreeNode node, string section, SourceLocation location)
    {
        var env = new BuildspecEnv { Location = location };
        if (AsMapping(node, section) is not { } mapping)
        {
            return env;
        }

        ForEachEntry(mapping, section, section == "env" ? EnvKeys : EnvKeysV01, (key, _, value) =>
        {
            var path = $"{section}.{key}";
            env = key switch
            {
                "shell" => env with { Shell = AsString(value, path) },
                "variables" or "plaintext" => env with { Variables = [.. env.Variables, .. ReadVariables(value, path)] },
                "parameter-store" => env with { ParameterStore = ReadNamedStrings(value, path).ConvertAll(v => new ParameterStoreVariable(v.Name, v.Value, v.Location)) },
                "secrets-manager" => env with { SecretsManager = ReadNamedStrings(value, path).ConvertAll(v => new SecretsManagerVariable(v.Name, v.Value, v.Location)) },
                "exported-variables" => env with { ExportedVariables = AsStringList(value, path) },
                "git-credential-helper" => env with { GitCredentialHelper = AsYesNo(value, path) },
                _ => env,
            };
        });
        return env;
    }

    /// <summary>A NAME: value map; values are taken as written ("010" stays "010", yes stays "yes"); null is empty.</summary>
    private List<BuildspecVariable> ReadVariables(YamlTreeNode node, string path)
    {
        var variables = new List<BuildspecVariable>();
        if (AsMapping(node, path) is not { } mapping)
        {
            return variables;
        }

        foreach (var (key, value) in mapping.Entries)
        {
            var text = AsString(value, $"{path}.{key.Value}") ?? string.Empty;
            variables.Add(new BuildspecVariable(key.Value, text, key.Location));
        }

        return variables;
    }

    private List<(string Name, string Value, SourceLocation Location)> ReadNamedStrings(YamlTreeNode node, string path)
    {
        var entries = new List<(string, string, SourceLocation)>();
        if (AsMapping(node, path) is not { } mapping)
        {
            return entries;
        }

        foreach (var (key, value) in mapping.Entries)
        {
            var text = AsString(value, $"{path}.{key.Value}");
            if (string.IsNullOrWhiteSpace(text))
            {
                AddFinding(DiagnosticSeverity.Error, BuildspecDiagnosticCodes.InvalidValue, $"{path}.{key.Value} names nothing to read", key.Location,
                    path.EndsWith("parameter-store", StringComparison.Ordinal)
                        ? $"write the parameter's name: '{key.Value}: /my-app/{key.Value.ToLowerInvariant()}'."
                        : $"write the secret reference: '{key.Value}: secret-id:json-key'.");
                continue;
            }

            entries.Add((key.Value, text, key.Location));
        }

        return entries;
    }
}
