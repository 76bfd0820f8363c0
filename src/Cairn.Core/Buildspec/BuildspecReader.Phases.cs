using YamlDotNet.Core;

namespace Cairn.Core.Buildspec;

internal sealed partial class BuildspecReader
{
    private static readonly string[] PhaseNames = ["install", "pre_build", "build", "post_build"];
    private static readonly string[] PhaseKeys = ["run-as", "on-failure", "commands", "finally"];
    private static readonly string[] InstallKeys = ["run-as", "on-failure", "runtime-versions", "commands", "finally"];

    private List<BuildspecPhase> ReadPhases(YamlTreeNode node)
    {
        var phases = new List<BuildspecPhase>();
        if (AsMapping(node, "phases") is not { } mapping)
        {
            return phases;
        }

        foreach (var (key, value) in mapping.Entries)
        {
            BuildspecPhaseName? name = key.Value switch
            {
                "install" => BuildspecPhaseName.Install,
                "pre_build" => BuildspecPhaseName.PreBuild,
                "build" => BuildspecPhaseName.Build,
                "post_build" => BuildspecPhaseName.PostBuild,
                _ => null,
            };
            if (name is null)
            {
                var suggestion = DidYouMean.Suggest(key.Value, PhaseNames);
                AddFatal(BuildspecDiagnosticCodes.InvalidPhaseName,
                    $"Invalid buildspec phase name: {key.Value}. Expecting: build,install,post_build,pre_build",
                    key.Location,
                    key.Value is "artifacts" or "reports" or "cache" or "env"
                        ? $"'{key.Value}:' is indented under phases; move it left so it is a top-level key."
                        : suggestion is null ? "the phases are install, pre_build, build and post_build." : $"did you mean '{suggestion}'?");
                continue;
            }

            phases.Add(ReadPhase(name.Value, key, value));
        }

        return [.. phases.OrderBy(phase => phase.Name)];
    }

    private BuildspecPhase ReadPhase(BuildspecPhaseName name, YamlTreeScalar key, YamlTreeNode node)
    {
        var phase = new BuildspecPhase { Name = name, Location = key.Location };
        if (AsMapping(node, $"phases.{key.Value}") is not { } mapping)
        {
            return phase;
        }

        var known = name == BuildspecPhaseName.Install ? InstallKeys : PhaseKeys;
        foreach (var (entryKey, value) in mapping.Entries)
        {
            var path = $"phases.{key.Value}.{entryKey.Value}";
            switch (entryKey.Value)
            {
                case "runtime-versions" when name != BuildspecPhaseName.Install:
                    UnknownKey(entryKey, $"phases.{key.Value}", known, "runtime-versions is only read in the install phase; move it under phases.install.");
                    break;
                case "run-as":
                    phase = phase with { RunAs = AsString(value, path) };
                    break;
                case "on-failure":
                    phase = phase with { OnFailure = ReadOnFailure(value, path) };
                    break;
                case "runtime-versions":
                    phase = phase with { RuntimeVersions = ReadRuntimeVersions(value, path) };
                    break;
                case "commands":
                    phase = phase with { Commands = ReadCommands(value, path, "Commands") };
                    break;
                case "finally":
                    phase = phase with { Finally = ReadCommands(value, path, "Finally") };
                    break;
                default:
                    UnknownKey(entryKey, $"phases.{key.Value}", known);
                    break;
            }
        }

        return phase;
    }

    private OnFailurePolicy? ReadOnFailure(YamlTreeNode node, string path)
    {
        if (AsString(node, path) is not { } text)
        {
            return null;
        }

        if (OnFailurePolicy.TryParse(text, node.Location) is { } policy)
        {
            return policy;
        }

        // Wording not confirmed against CodeBuild.
        AddFatal(BuildspecDiagnosticCodes.InvalidOnFailure, $"invalid on-failure value: {text} at line {node.Location.Line}", node.Location,
            "on-failure is ABORT, CONTINUE, RETRY, RETRY-<count>, RETRY-<regex> or RETRY-<count>-<regex> (the regex must be valid).");
        return null;
    }

    private List<KeyValuePair<string, string>> ReadRuntimeVersions(YamlTreeNode node, string path)
    {
        var versions = new List<KeyValuePair<string, string>>();
        if (AsMapping(node, path) is not { } mapping)
        {
            return versions;
        }

        foreach (var (key, value) in mapping.Entries)
        {
            versions.Add(new(key.Value, AsString(value, $"{path}.{key.Value}") ?? string.Empty));
        }

        return versions;
    }

    /// <summary>
    /// commands/finally: a list of strings. An item YAML read as a mapping (<c>- echo a: b</c>) is CodeBuild's
    /// "Expected Commands[i] to be of string type" error.
    /// </summary>
    private List<BuildspecCommand> ReadCommands(YamlTreeNode node, string path, string awsName)
    {
        var commands = new List<BuildspecCommand>();
        if (node is YamlTreeScalar { IsNull: true })
        {
            return commands;
        }

        if (node is not YamlTreeSequence sequence)
        {
            var example = node is YamlTreeScalar scalar ? $"'- {scalar.Value}'" : "'- command'";
            TypeMismatch(node, "[]string", $"{path} must be a list: put each command on its own line starting with {example}.");
            return commands;
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            switch (item)
            {
                case YamlTreeScalar { IsNull: true }:
                    break;
                case YamlTreeScalar scalar:
                    commands.Add(new BuildspecCommand(scalar.Value, scalar.Location, scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded));
                    break;
                case YamlTreeMapping:
                    var line = item.Location.Line;
                    AddFatal(BuildspecDiagnosticCodes.CommandIsMapping,
                        $"Expected {awsName}[{i}] to be of string type: found subkeys instead at line {line}, value of the key tag on line {line - 1} might be empty",
                        item.Location,
                        $"YAML reads ': ' inside a command as a key/value pair; put the whole command in quotes: - {QuoteSuggestion(item)}");
                    break;
                default:
                    TypeMismatch(item, "string", $"{path}[{i}] is a nested list; each command is one '- command' line.");
                    break;
            }
        }

        return commands;
    }
}
