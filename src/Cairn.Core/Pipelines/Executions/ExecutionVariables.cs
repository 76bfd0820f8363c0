using System.Text.RegularExpressions;

namespace Cairn.Core.Pipelines.Executions;

/// <summary>
/// Resolves the <c>#{namespace.key}</c> references in an action's configuration: <c>codepipeline.PipelineExecutionId</c>,
/// <c>variables.name</c> (pipeline-level variables) and an earlier action's output variables by its namespace.
/// </summary>
public static partial class ExecutionVariables
{
    public const string CodePipelineNamespace = "codepipeline";
    public const string PipelineVariablesNamespace = "variables";

    /// <summary>
    /// The configuration with every reference replaced, or the first reference that cannot be resolved (in
    /// <paramref name="unresolved"/>) and null.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Resolve(
        IReadOnlyDictionary<string, string> configuration, Func<string, string, string?> lookup, out string? unresolved)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        string? missing = null;
        foreach (var (key, value) in configuration)
        {
            resolved[key] = Reference().Replace(value, match =>
            {
                var found = lookup(match.Groups["ns"].Value, match.Groups["key"].Value);
                missing ??= found is null ? match.Value : null;
                return found ?? match.Value;
            });
        }

        unresolved = missing;
        return missing is null ? resolved : null;
    }

    /// <summary>The references a configuration makes, as (namespace, key).</summary>
    public static IEnumerable<(string Namespace, string Key)> References(IReadOnlyDictionary<string, string> configuration) =>
        configuration.Values.SelectMany(v => Reference().Matches(v)).Select(m => (m.Groups["ns"].Value, m.Groups["key"].Value));

    [GeneratedRegex(@"#\{(?<ns>[A-Za-z0-9@\-_]+)\.(?<key>[A-Za-z0-9@\-_.]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
