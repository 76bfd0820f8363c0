namespace Cairn.Core.Buildspec;

internal sealed partial class BuildspecReader
{
    private static readonly string[] BatchKeys = ["fast-fail", "build-list", "build-graph", "build-matrix"];
    private static readonly string[] BatchListItemKeys = ["identifier", "buildspec", "env", "debug-session", "ignore-failure"];
    private static readonly string[] BatchGraphItemKeys = [.. BatchListItemKeys, "depend-on"];
    private static readonly string[] BatchEnvKeys = ["compute-type", "fleet", "image", "privileged-mode", "type", "variables"];
    private static readonly string[] MatrixKeys = ["static", "dynamic"];
    private static readonly string[] MatrixStaticKeys = ["ignore-failure", "env"];
    private static readonly string[] MatrixDynamicKeys = ["buildspec", "env"];
    private static readonly string[] MatrixDynamicEnvKeys = ["compute-type", "image", "variables"];

    private BuildspecBatch? ReadBatch(YamlTreeNode node, SourceLocation location)
    {
        if (AsMapping(node, "batch") is not { } mapping)
        {
            return null;
        }

        var batch = new BuildspecBatch { Location = location };
        ForEachEntry(mapping, "batch", BatchKeys, (key, keyNode, value) => batch = key switch
        {
            "fast-fail" => batch with { FastFail = AsYesNo(value, "batch.fast-fail") ?? false },
            "build-list" => batch with { BuildList = ReadBatchBuilds(value, "batch.build-list", BatchListItemKeys) },
            "build-graph" => batch with { BuildGraph = ReadBatchBuilds(value, "batch.build-graph", BatchGraphItemKeys) },
            _ => batch with { BuildMatrix = ReadMatrix(value, keyNode.Location) },
        });
        return batch;
    }

    private List<BatchBuild> ReadBatchBuilds(YamlTreeNode node, string path, string[] keys)
    {
        var builds = new List<BatchBuild>();
        if (node is YamlTreeScalar { IsNull: true })
        {
            return builds;
        }

        if (node is not YamlTreeSequence sequence)
        {
            TypeMismatch(node, "[]interface {}", $"{path} must be a list of builds, each starting with '- identifier: name'.");
            return builds;
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (AsMapping(sequence.Items[i], itemPath) is not { } mapping)
            {
                continue;
            }

            var build = new BatchBuild { Identifier = string.Empty, Location = sequence.Items[i].Location };
            ForEachEntry(mapping, itemPath, keys, (key, _, value) => build = key switch
            {
                "identifier" => build with { Identifier = AsString(value, $"{itemPath}.identifier") ?? string.Empty },
                "buildspec" => build with { Buildspec = AsString(value, $"{itemPath}.buildspec") },
                "env" => build with { Env = ReadBatchEnv(value, $"{itemPath}.env") },
                "debug-session" => build with { DebugSession = AsYesNo(value, $"{itemPath}.debug-session") ?? false },
                "ignore-failure" => build with { IgnoreFailure = AsYesNo(value, $"{itemPath}.ignore-failure") ?? false },
                _ => build with { DependOn = Texts(AsStringList(value, $"{itemPath}.depend-on")) },
            });
            if (build.Identifier.Length == 0)
            {
                AddFinding(DiagnosticSeverity.Error, BuildspecDiagnosticCodes.MissingRequiredKey, $"{itemPath} has no identifier", build.Location,
                    "give every batch build an 'identifier:' (letters, digits and underscores).");
            }

            builds.Add(build);
        }

        return builds;
    }

    private BatchBuildEnvironment? ReadBatchEnv(YamlTreeNode node, string path)
    {
        if (AsMapping(node, path) is not { } mapping)
        {
            return null;
        }

        var env = new BatchBuildEnvironment();
        ForEachEntry(mapping, path, BatchEnvKeys, (key, _, value) => env = key switch
        {
            "compute-type" => env with { ComputeType = AsString(value, $"{path}.compute-type") },
            "fleet" => env with { Fleet = AsString(value, $"{path}.fleet") },
            "image" => env with { Image = AsString(value, $"{path}.image") },
            "privileged-mode" => env with { PrivilegedMode = AsYesNo(value, $"{path}.privileged-mode") },
            "type" => env with { Type = AsString(value, $"{path}.type") },
            _ => env with { Variables = ReadVariables(value, $"{path}.variables") },
        });
        return env;
    }

    private BatchMatrix? ReadMatrix(YamlTreeNode node, SourceLocation location)
    {
        const string path = "batch.build-matrix";
        if (AsMapping(node, path) is not { } mapping)
        {
            return null;
        }

        var matrix = new BatchMatrix { Location = location };
        ForEachEntry(mapping, path, MatrixKeys, (key, _, value) =>
        {
            if (AsMapping(value, $"{path}.{key}") is not { } part)
            {
                return;
            }

            if (key == "static")
            {
                ForEachEntry(part, $"{path}.static", MatrixStaticKeys, (staticKey, _, staticValue) => matrix = staticKey == "env"
                    ? matrix with { StaticEnv = ReadBatchEnv(staticValue, $"{path}.static.env") }
                    : matrix with { StaticIgnoreFailure = AsYesNo(staticValue, $"{path}.static.ignore-failure") ?? false });
                return;
            }

            ForEachEntry(part, $"{path}.dynamic", MatrixDynamicKeys, (dynamicKey, _, dynamicValue) =>
            {
                if (dynamicKey == "buildspec")
                {
                    matrix = matrix with { DynamicBuildspecs = Texts(AsStringList(dynamicValue, $"{path}.dynamic.buildspec")) };
                }
                else if (AsMapping(dynamicValue, $"{path}.dynamic.env") is { } env)
                {
                    matrix = ReadDynamicEnv(matrix, env, $"{path}.dynamic.env");
                }
            });
        });
        return matrix;
    }

    private BatchMatrix ReadDynamicEnv(BatchMatrix matrix, YamlTreeMapping env, string path)
    {
        ForEachEntry(env, path, MatrixDynamicEnvKeys, (key, _, value) =>
        {
            switch (key)
            {
                case "compute-type":
                    matrix = matrix with { DynamicComputeTypes = Texts(AsStringList(value, $"{path}.compute-type")) };
                    break;
                case "image":
                    matrix = matrix with { DynamicImages = Texts(AsStringList(value, $"{path}.image")) };
                    break;
                default:
                    var variables = new List<KeyValuePair<string, IReadOnlyList<string>>>();
                    if (AsMapping(value, $"{path}.variables") is { } mapping)
                    {
                        foreach (var (name, values) in mapping.Entries)
                        {
                            variables.Add(new(name.Value, Texts(AsStringList(values, $"{path}.variables.{name.Value}"))));
                        }
                    }

                    matrix = matrix with { DynamicVariables = variables };
                    break;
            }
        });
        return matrix;
    }
}
