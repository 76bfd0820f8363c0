using System.Text.RegularExpressions;

namespace Cairn.Core.Pipelines;

/// <summary>A <c>#{namespace.key}</c> reference in an action's configuration, with where it is in the value.</summary>
public readonly record struct VariableReference(string Namespace, string Key, int Start, int Length)
{
    public string Text => $"#{{{Namespace}.{Key}}}";
}

/// <summary>
/// CodePipeline's variable syntax: <c>#{namespace.key}</c>, where the namespace is an action's <c>namespace</c>,
/// <c>codepipeline</c> (the execution's own variables) or <c>variables</c> (the pipeline-level variables of a V2 pipeline).
/// Anything else that starts with <c>#{</c> is malformed.
/// </summary>
public static partial class VariableReferences
{
    public const string CodePipelineNamespace = "codepipeline";
    public const string PipelineVariablesNamespace = "variables";

    /// <summary>The variables CodePipeline itself gives every execution (#{codepipeline.X}).</summary>
    public static IReadOnlyList<string> CodePipelineVariables { get; } = ["PipelineExecutionId"];

    /// <summary>Every well-formed reference in <paramref name="value"/>, and the start of every <c>#{</c> that is not one.</summary>
    public static (IReadOnlyList<VariableReference> References, IReadOnlyList<(int Start, string Text)> Malformed) Find(string value)
    {
        var references = new List<VariableReference>();
        var malformed = new List<(int, string)>();
        var at = 0;
        while ((at = value.IndexOf("#{", at, StringComparison.Ordinal)) >= 0)
        {
            var match = Reference().Match(value, at);
            if (match.Success && match.Index == at)
            {
                references.Add(new VariableReference(match.Groups["ns"].Value, match.Groups["key"].Value, at, match.Length));
                at += match.Length;
                continue;
            }

            var end = value.IndexOf('}', at);
            malformed.Add((at, end < 0 ? value[at..] : value[at..(end + 1)]));
            at += 2;
        }

        return (references, malformed);
    }

    [GeneratedRegex(@"#\{(?<ns>[A-Za-z0-9@\-_]+)\.(?<key>[A-Za-z0-9@\-_.]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
