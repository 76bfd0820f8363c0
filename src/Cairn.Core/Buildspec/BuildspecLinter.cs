using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Cairn.Core.Buildspec;

/// <summary>
/// <c>cairn lint</c>: everything <see cref="BuildspecParser"/> rejects, plus what CodeBuild accepts but does not do
/// what the author meant (unknown keys, hidden failures, pushes of broken images, ...), and what Cairn cannot run.
/// </summary>
public static partial class BuildspecLinter
{
    public static BuildspecLintResult Lint(string yaml, LintOptions? options = null)
    {
        options ??= LintOptions.Default;
        var reader = BuildspecReader.Read(yaml);
        var diagnostics = new List<BuildspecDiagnostic>(reader.Fatal);
        diagnostics.AddRange(reader.Findings);
        if (reader.Document is { } document)
        {
            CheckReferences(reader, diagnostics);
            CheckEnv(document, diagnostics);
            CheckCommands(reader, document, options, diagnostics);
            CheckNaming(document, options, diagnostics);
        }

        return new BuildspecLintResult(reader.Fatal.Count == 0 ? reader.Document : null, Sort(diagnostics));
    }

    /// <summary><see cref="Lint"/>, then asks <see cref="LintOptions.Parameters"/> whether each named parameter exists.</summary>
    public static async Task<BuildspecLintResult> LintAsync(string yaml, LintOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= LintOptions.Default;
        var result = Lint(yaml, options);
        if (options.Parameters is null || result.Document is null)
        {
            return result;
        }

        var diagnostics = result.Diagnostics.ToList();
        var env = result.Document.Env;
        IReadOnlyList<string>? existing = null;
        async Task<string> HintAsync(string name)
        {
            existing ??= await options.Parameters.ListNamesAsync(cancellationToken);
            return DidYouMean.Suggest(name, [.. existing]) is { } suggestion
                ? $"did you mean {suggestion}? (names are case-sensitive and a leading '/' matters)"
                : MissingParameterHint(name);
        }

        foreach (var variable in env.ParameterStore)
        {
            if (!await options.Parameters.ExistsAsync(variable.ParameterName, cancellationToken))
            {
                diagnostics.Add(new BuildspecDiagnostic(DiagnosticSeverity.Error, BuildspecDiagnosticCodes.ParameterNotFound,
                    $"parameter does not exist: {variable.ParameterName}", variable.Location,
                    await HintAsync(variable.ParameterName), "Decrypted Variables Error"));
            }
        }

        foreach (var variable in env.Variables)
        {
            foreach (var reference in variable.References.Where(r => r.Kind != DynamicReferenceKind.SecretsManager))
            {
                if (!await options.Parameters.ExistsAsync(reference.Name, cancellationToken))
                {
                    diagnostics.Add(new BuildspecDiagnostic(DiagnosticSeverity.Error, BuildspecDiagnosticCodes.ParameterNotFound,
                        $"parameter does not exist: {reference.Name} (in {reference.Text})", variable.Location, await HintAsync(reference.Name)));
                }
            }
        }

        return result with { Diagnostics = Sort(diagnostics) };
    }

    private static string MissingParameterHint(string name) =>
        $"names are case-sensitive and a leading '/' matters; create it with: aws ssm put-parameter --name '{name}' --type SecureString --value '...'";

    private static List<BuildspecDiagnostic> Sort(List<BuildspecDiagnostic> diagnostics) =>
        [.. diagnostics.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ThenBy(d => d.Code, StringComparer.Ordinal)];

    private static void CheckEnv(BuildspecDocument document, List<BuildspecDiagnostic> diagnostics)
    {
        var env = document.Env;
        var names = env.Variables.Select(v => (v.Name, v.Location, Section: "env.variables"))
            .Concat(env.ParameterStore.Select(v => (v.Name, v.Location, Section: "env.parameter-store")))
            .Concat(env.SecretsManager.Select(v => (v.Name, v.Location, Section: "env.secrets-manager")));
        foreach (var (name, location, section) in names)
        {
            if (name.StartsWith("CODEBUILD_", StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Add(Warning(BuildspecDiagnosticCodes.ReservedVariablePrefix,
                    $"{section}.{name}: the CODEBUILD_ prefix is reserved for variables CodeBuild sets", location,
                    $"rename it, e.g. to {name["CODEBUILD_".Length..]} or MY_{name}."));
            }
        }

        foreach (var variable in env.Variables)
        {
            if (LooksSecret().IsMatch(variable.Name) && variable.Value.Length > 0 && variable.References.Count == 0
                && !variable.Value.Contains('$', StringComparison.Ordinal) && !variable.Value.Contains("{{resolve:", StringComparison.Ordinal))
            {
                diagnostics.Add(Warning(BuildspecDiagnosticCodes.PlaintextSecret,
                    $"env.variables.{variable.Name} looks like a secret written in plain text: it is stored with the source and not masked in build logs",
                    variable.Location,
                    $"put it in the Parameter Store as a SecureString and read it with env.parameter-store: '{variable.Name}: /my-app/{variable.Name.ToLowerInvariant()}'."));
            }
        }

        var hidden = env.ParameterStore.Select(v => v.Name).Concat(env.SecretsManager.Select(v => v.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var exported in env.ExportedVariables)
        {
            if (hidden.Contains(exported.Value) || exported.Value.StartsWith("AWS_", StringComparison.Ordinal))
            {
                diagnostics.Add(Warning(BuildspecDiagnosticCodes.NotExportable,
                    $"env.exported-variables: CodeBuild does not export {exported.Value} ({(hidden.Contains(exported.Value) ? "values from the Parameter Store or Secrets Manager stay in the build" : "AWS_* variables are reserved")})",
                    exported.Location, "export a plaintext variable instead, or leave it out."));
            }
        }

        if (env.Shell is { } shell && shell is not "bash" and not "/bin/sh" and not "sh" and not "/bin/bash")
        {
            diagnostics.Add(Warning(BuildspecDiagnosticCodes.InvalidValue,
                shell is "powershell.exe" or "pwsh.exe" or "cmd.exe"
                    ? $"env.shell '{shell}' is a Windows shell; Cairn runs builds with Linux shells"
                    : $"env.shell '{shell}' is not a shell CodeBuild supports on Linux",
                env.Location, "use 'shell: bash' or 'shell: /bin/sh' (the default)."));
        }
    }

    private static void CheckReferences(BuildspecReader reader, List<BuildspecDiagnostic> diagnostics)
    {
        var variableValues = EnvVariableValues(reader.Root);
        foreach (var scalar in Scalars(reader.Root))
        {
            if (!scalar.Value.Contains("{{resolve:", StringComparison.Ordinal))
            {
                continue;
            }

            var inVariables = variableValues.Contains(scalar);
            foreach (var reference in DynamicReference.FindAll(scalar.Value))
            {
                var location = LocationOf(scalar, reference.Start);
                if (!inVariables)
                {
                    diagnostics.Add(Warning(BuildspecDiagnosticCodes.DynamicReferenceNotPortable,
                        $"{reference.Text} stays literal text here: Cairn resolves {{{{resolve:...}}}} only in env.variables, and AWS CodeBuild never does",
                        location, "read the value with env.parameter-store (NAME: parameter-name) and use $NAME here."));
                    continue;
                }

                if (reference.Kind == DynamicReferenceKind.SecretsManager)
                {
                    diagnostics.Add(Warning(BuildspecDiagnosticCodes.SecretsManagerNotSupported,
                        $"{reference.Text}: Cairn does not resolve Secrets Manager references yet", location,
                        "store the value as a SecureString parameter and use env.parameter-store."));
                    continue;
                }

                diagnostics.Add(Warning(BuildspecDiagnosticCodes.DynamicReferenceNotPortable,
                    $"{reference.Text} is a Cairn extension: AWS CodeBuild passes it through literally, so on AWS the variable would hold this text, not the parameter's value",
                    location, $"to run the same buildspec on AWS, move it to env.parameter-store: 'NAME: {reference.Name}'."));
            }

            foreach (var malformed in DynamicReference.FindMalformed(scalar.Value))
            {
                diagnostics.Add(Warning(BuildspecDiagnosticCodes.MalformedDynamicReference,
                    $"{malformed} is not a reference Cairn can resolve; it stays literal text",
                    LocationOf(scalar, scalar.Value.IndexOf(malformed, StringComparison.Ordinal)),
                    "write {{resolve:ssm:name}}, {{resolve:ssm:name:version}} or {{resolve:ssm-secure:name}} (names use letters, digits, _ . - /)."));
            }
        }
    }

    private static HashSet<YamlTreeNode> EnvVariableValues(YamlTreeNode? root)
    {
        var values = new HashSet<YamlTreeNode>(ReferenceEqualityComparer.Instance);
        if (root is YamlTreeMapping mapping)
        {
            foreach (var section in new[] { ("env", "variables"), ("environment_variables", "plaintext"), ("environment_variables", "variables") })
            {
                if (Child(mapping, section.Item1) is YamlTreeMapping env && Child(env, section.Item2) is YamlTreeMapping variables)
                {
                    values.UnionWith(variables.Entries.Select(e => e.Value));
                }
            }
        }

        return values;
    }

    private static YamlTreeNode? Child(YamlTreeMapping mapping, string key) => mapping.Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    private static IEnumerable<YamlTreeScalar> Scalars(YamlTreeNode? node)
    {
        var seen = new HashSet<YamlTreeNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<YamlTreeNode>();
        if (node is not null)
        {
            pending.Push(node);
        }

        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            switch (current)
            {
                case YamlTreeScalar scalar:
                    yield return scalar;
                    break;
                case YamlTreeSequence sequence:
                    sequence.Items.ForEach(pending.Push);
                    break;
                case YamlTreeMapping mapping:
                    mapping.Entries.ForEach(entry => pending.Push(entry.Value));
                    break;
            }
        }
    }

    // Exact column for one-line values; a block's own position otherwise.
    private static SourceLocation LocationOf(YamlTreeScalar scalar, int offset)
    {
        if (offset < 0 || scalar.Value.AsSpan(0, offset).Contains('\n') || scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return scalar.Location;
        }

        var quote = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        return scalar.Location with { Column = scalar.Location.Column + quote + offset };
    }

    private static BuildspecDiagnostic Warning(string code, string message, SourceLocation location, string hint) =>
        new(DiagnosticSeverity.Warning, code, message, location, hint);

    [GeneratedRegex("(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LooksSecret();
}
