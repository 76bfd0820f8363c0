using Cairn.Core.Parameters.Naming;

namespace Cairn.Core.Buildspec;

/// <summary>BS119: referenced parameter and secret names checked against the account's naming rules.</summary>
public static partial class BuildspecLinter
{
    private static void CheckNaming(BuildspecDocument document, LintOptions options, List<BuildspecDiagnostic> diagnostics)
    {
        if (options.NamingRules is not { Count: > 0 } rules)
        {
            return;
        }

        var patterns = new Dictionary<string, NamingPattern?>(StringComparer.Ordinal);
        void Check(string name, string kind, SourceLocation location)
        {
            // An ARN names a parameter or secret another account or region may own: its name is not this rule's to judge.
            if (name.StartsWith("arn:", StringComparison.Ordinal) || name.Length == 0)
            {
                return;
            }

            var key = name.TrimStart('/');
            if (NamingRule.For(rules, key) is not { } rule)
            {
                return;
            }

            if (!patterns.TryGetValue(rule.Pattern, out var pattern))
            {
                try
                {
                    pattern = NamingPattern.Parse(rule.Pattern);
                }
                catch (Errors.AwsException)
                {
                    pattern = null;
                }

                patterns[rule.Pattern] = pattern;
            }

            var subject = rule.SubjectOf(key);
            if (pattern is null || pattern.IsMatch(subject))
            {
                return;
            }

            var fits = pattern.Suggest(subject) is { } suggestion
                ? (name.StartsWith('/') ? "/" : string.Empty) + rule.PathPrefix.TrimStart('/') + suggestion
                : null;
            var example = rule.Example ?? pattern.Example();
            diagnostics.Add(new BuildspecDiagnostic(DiagnosticSeverity.Warning, BuildspecDiagnosticCodes.NamingRule,
                $"{kind} {name} does not follow the naming rule '{rule.Pattern}'" + (rule.PathPrefix == "/" ? string.Empty : $" for names under {rule.PathPrefix}")
                + (example is null ? string.Empty : $" (e.g. {example})"),
                location,
                fits is null
                    ? "rename the parameter to a name that fits the rule, then change this reference"
                    : $"did you mean {fits}? If the parameter has the old name, `cairn secrets report` prints the commands that rename it; then change this reference"));
        }

        foreach (var variable in document.Env.ParameterStore)
        {
            Check(variable.ParameterName, "parameter", variable.Location);
        }

        foreach (var variable in document.Env.SecretsManager)
        {
            Check(variable.SecretId, "secret", variable.Location);
        }

        foreach (var variable in document.Env.Variables)
        {
            foreach (var reference in variable.References.Where(r => r.Kind != DynamicReferenceKind.SecretsManager))
            {
                Check(reference.Name, "parameter", variable.Location);
            }
        }
    }
}
