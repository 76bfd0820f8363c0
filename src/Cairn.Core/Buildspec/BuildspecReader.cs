using System.Globalization;

namespace Cairn.Core.Buildspec;

/// <summary>
/// Walks the YAML tree into a <see cref="BuildspecDocument"/>. Collects what CodeBuild rejects (<see cref="Fatal"/>,
/// YAML_FILE_ERROR) apart from what it silently accepts but the linter reports (<see cref="Findings"/>).
/// The document is built best-effort even when there are fatal errors, so the linter can keep going.
/// </summary>
internal sealed partial class BuildspecReader
{
    private static readonly string[] TopLevelKeys = ["version", "run-as", "env", "proxy", "batch", "phases", "reports", "artifacts", "cache"];
    private static readonly string[] TopLevelKeysV01 = [.. TopLevelKeys, "environment_variables"];

    private const string MapType = "map[string]interface {}";

    private readonly string _source;

    private BuildspecReader(string source)
    {
        _source = source;
    }

    public List<BuildspecDiagnostic> Fatal { get; } = [];

    public List<BuildspecDiagnostic> Findings { get; } = [];

    public YamlTreeNode? Root { get; private set; }

    public BuildspecDocument? Document { get; private set; }

    public string Source => _source;

    public static BuildspecReader Read(string source)
    {
        var reader = new BuildspecReader(source);
        reader.ReadDocument();
        return reader;
    }

    private void ReadDocument()
    {
        var syntax = new List<BuildspecDiagnostic>();
        Root = YamlTreeLoader.Load(_source, syntax);
        Fatal.AddRange(syntax);
        if (syntax.Exists(d => d.Code == BuildspecDiagnosticCodes.YamlSyntax))
        {
            return;
        }

        YamlTreeMapping? root = null;
        if (Root is YamlTreeMapping mapping)
        {
            root = mapping;
        }
        else if (Root is not null && !(Root is YamlTreeScalar { IsNull: true }))
        {
            TypeMismatch(Root, MapType, "a buildspec is a mapping that starts with 'version: 0.2' followed by phases:, env:, ...");
            return;
        }

        var version = ReadVersion(root);
        var document = new BuildspecDocument { Version = version };
        if (root is null)
        {
            Document = document;
            return;
        }

        ForEachEntry(root, "the buildspec", version == BuildspecVersion.V0_1 ? TopLevelKeysV01 : TopLevelKeys, (key, keyNode, value) =>
        {
            document = key switch
            {
                "run-as" => document with { RunAs = AsString(value, "run-as") },
                "env" => document with { Env = ReadEnv(value, "env", keyNode.Location) },
                "environment_variables" => document with { Env = ReadEnv(value, "environment_variables", keyNode.Location) },
                "proxy" => document with { Proxy = ReadProxy(value, keyNode.Location) },
                "batch" => document with { Batch = ReadBatch(value, keyNode.Location) },
                "phases" => document with { Phases = ReadPhases(value) },
                "reports" => document with { Reports = ReadReports(value) },
                "artifacts" => document with { Artifacts = ReadArtifacts(value, "artifacts", null, keyNode.Location) },
                "cache" => document with { Cache = ReadCache(value, keyNode.Location) },
                _ => document,
            };
        });
        Document = document;
    }

    private BuildspecVersion ReadVersion(YamlTreeMapping? root)
    {
        var index = root?.Entries.FindIndex(e => e.Key.Value == "version") ?? -1;
        var node = index >= 0 ? root!.Entries[index].Value : null;
        var text = node is YamlTreeScalar scalar && !scalar.IsNull ? scalar.Value : node is null or YamlTreeScalar ? string.Empty : node.SourceText(_source);
        switch (text)
        {
            case "0.2":
                return BuildspecVersion.V0_2;
            case "0.1":
                AddFinding(DiagnosticSeverity.Warning, BuildspecDiagnosticCodes.LegacyVersion,
                    "version 0.1 runs each command in its own shell: cd and export do not carry over to the next command",
                    node!.Location, "use 'version: 0.2' so that all commands share one shell.");
                return BuildspecVersion.V0_1;
        }

        var location = node?.Location ?? root?.Location ?? new SourceLocation(1, 1);
        AddFatal(BuildspecDiagnosticCodes.InvalidVersion, $"invalid buildspec `version` specified: {text}, see documentation", location,
            node is null ? "add 'version: 0.2' as the first line of the buildspec." : "the supported versions are 0.2 (and the legacy 0.1); write 'version: 0.2'.");
        return BuildspecVersion.V0_2;
    }

    private void ForEachEntry(YamlTreeMapping mapping, string section, IReadOnlyCollection<string> known, Action<string, YamlTreeScalar, YamlTreeNode> read)
    {
        foreach (var (key, value) in mapping.Entries)
        {
            if (known.Contains(key.Value))
            {
                read(key.Value, key, value);
            }
            else
            {
                UnknownKey(key, section, known);
            }
        }
    }

    private void UnknownKey(YamlTreeScalar key, string section, IReadOnlyCollection<string> known, string? hint = null)
    {
        var suggestion = DidYouMean.Suggest(key.Value, known);
        var topLevel = section == "the buildspec";
        var message = topLevel
            ? $"unknown top-level key '{key.Value}': CodeBuild ignores it, so nothing under it takes effect"
            : $"unknown key '{key.Value}' in {section}: CodeBuild ignores it";
        hint ??= (topLevel, key.Value, suggestion) switch
        {
            (true, "environment", "env") => "rename 'environment:' to 'env:'; variables belong under env.variables (plaintext) or env.parameter-store (secrets).",
            (true, "environment_variables", "env") => "environment_variables is version 0.1 syntax; in 0.2 write 'env:' (and 'variables:' for 'plaintext:').",
            (_, _, { } s) => $"did you mean '{s}'?",
            _ => $"the keys allowed here are: {string.Join(", ", known)}.",
        };
        AddFinding(DiagnosticSeverity.Error, BuildspecDiagnosticCodes.UnknownKey, message, key.Location, hint);
    }

    private YamlTreeMapping? AsMapping(YamlTreeNode node, string path)
    {
        switch (node)
        {
            case YamlTreeMapping mapping:
                return mapping;
            case YamlTreeScalar { IsNull: true }:
                return null;
            default:
                TypeMismatch(node, MapType, $"{path} must be a mapping: 'key: value' lines indented under '{LastSegment(path)}:'.");
                return null;
        }
    }

    /// <summary>A scalar's text (numbers and booleans as written); null for a null or missing value.</summary>
    private string? AsString(YamlTreeNode node, string path)
    {
        switch (node)
        {
            case YamlTreeScalar { IsNull: true }:
                return null;
            case YamlTreeScalar scalar:
                return scalar.Value;
            case YamlTreeMapping:
                TypeMismatch(node, "string", $"YAML read {path} as a key/value pair because of ': ' in it; put the whole value in quotes: {QuoteSuggestion(node)}");
                return null;
            default:
                TypeMismatch(node, "string", $"{path} must be a single value, not a list.");
                return null;
        }
    }

    /// <summary>A list of strings; a lone string is taken as a one-item list with a warning.</summary>
    private List<LocatedValue> AsStringList(YamlTreeNode node, string path)
    {
        var values = new List<LocatedValue>();
        switch (node)
        {
            case YamlTreeScalar { IsNull: true }:
                break;
            case YamlTreeScalar scalar:
                AddFinding(DiagnosticSeverity.Warning, BuildspecDiagnosticCodes.InvalidValue, $"{path} should be a list", node.Location,
                    $"write it as a list item: '- {scalar.Value}'.");
                values.Add(new LocatedValue(scalar.Value, scalar.Location));
                break;
            case YamlTreeSequence sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (AsString(sequence.Items[i], $"{path}[{i}]") is { } value)
                    {
                        values.Add(new LocatedValue(value, sequence.Items[i].Location));
                    }
                }

                break;
            default:
                TypeMismatch(node, "[]string", $"{path} must be a list of '- value' lines.");
                break;
        }

        return values;
    }

    private static IReadOnlyList<string> Texts(List<LocatedValue> values) => values.ConvertAll(v => v.Value);

    /// <summary>yes/no (also true/false, on/off); anything else is reported and read as null.</summary>
    private bool? AsYesNo(YamlTreeNode node, string path)
    {
        var text = AsString(node, path);
        switch (text?.ToLowerInvariant())
        {
            case null:
                return null;
            case "yes" or "true" or "on" or "y":
                return true;
            case "no" or "false" or "off" or "n":
                return false;
            default:
                AddFinding(DiagnosticSeverity.Warning, BuildspecDiagnosticCodes.InvalidValue, $"{path} must be yes or no, not '{text}'", node.Location,
                    $"write '{LastSegment(path)}: yes' or '{LastSegment(path)}: no'.");
                return null;
        }
    }

    private void TypeMismatch(YamlTreeNode node, string goType, string hint)
    {
        var value = node is YamlTreeScalar scalar ? $" `{Shorten(scalar.Value)}`" : string.Empty;
        AddFatal(BuildspecDiagnosticCodes.TypeMismatch, $"cannot unmarshal {node.YamlTag}{value} into {goType} at line {node.Location.Line}", node.Location, hint);
    }

    private string QuoteSuggestion(YamlTreeNode node)
    {
        var text = node.SourceText(_source);
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            return "use a '|' block for multi-line values.";
        }

        return text.Contains('\'', StringComparison.Ordinal) ? $"\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : $"'{text}'";
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..37] + "...";

    private static string LastSegment(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot < 0 ? path : path[(dot + 1)..];
    }

    private void AddFatal(string code, string message, SourceLocation location, string hint) =>
        Fatal.Add(new BuildspecDiagnostic(DiagnosticSeverity.Error, code, message, location, hint, BuildspecDiagnosticCodes.YamlFileError));

    private void AddFinding(DiagnosticSeverity severity, string code, string message, SourceLocation location, string hint) =>
        Findings.Add(new BuildspecDiagnostic(severity, code, message, location, hint));

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
