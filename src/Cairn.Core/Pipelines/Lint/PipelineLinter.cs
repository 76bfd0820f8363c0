using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Buildspec;
using Cairn.Core.Errors;

namespace Cairn.Core.Pipelines.Lint;

/// <summary>
/// `cairn pipeline lint`: every mistake in a pipeline declaration that can be found before its first execution, each with
/// where it is and how to fix it. First what CodePipeline itself rejects (the model's shapes and the structure rules,
/// through <see cref="PipelineLintOptions.Check"/>, AWS's code and text); then what an execution would trip on
/// (variables, action configuration, providers Cairn does not run); then, given an environment, what the declaration
/// names (projects, roles and their permissions, parameters).
/// </summary>
public static partial class PipelineLinter
{
    public static async Task<PipelineLintResult> LintAsync(string text, PipelineLintOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var diagnostics = new List<PipelineDiagnostic>();
        JsonLocator locator;
        JsonObject root;
        try
        {
            locator = JsonLocator.Build(text);
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new JsonException("the file is JSON but not an object");
        }
        catch (JsonException error)
        {
            var location = new SourceLocation((int)(error.LineNumber ?? 0) + 1, (int)(error.BytePositionInLine ?? 0) + 1);
            diagnostics.Add(new(DiagnosticSeverity.Error, PipelineDiagnosticCodes.JsonSyntax, $"not valid JSON: {FirstSentence(error.Message)}", string.Empty, location,
                "fix the JSON syntax (a missing comma or quote, an extra bracket) at this line"));
            return new PipelineLintResult(diagnostics, null);
        }

        // The file may be CreatePipeline's input ({"pipeline": ..., "tags": ...}), GetPipeline's output, or a bare declaration.
        var prefix = root["pipeline"] is JsonObject ? "pipeline" : string.Empty;
        var declaration = root["pipeline"] as JsonObject ?? root;
        if (declaration["stages"] is null || declaration["name"] is null)
        {
            diagnostics.Add(new(DiagnosticSeverity.Error, PipelineDiagnosticCodes.NotAPipeline, "this is not a pipeline declaration: it has no \"name\" and \"stages\"",
                prefix, locator.Find(prefix),
                "give the file the shape `aws codepipeline get-pipeline --name NAME` prints, or create one with `aws codepipeline create-pipeline --generate-cli-skeleton`"));
            return new PipelineLintResult(diagnostics, null);
        }

        var context = new LintContext(locator, prefix, diagnostics);
        JsonObject normalized;
        try
        {
            var input = new JsonObject { ["pipeline"] = declaration.DeepClone() };
            if (root["tags"] is JsonArray tags && prefix.Length > 0)
            {
                input["tags"] = tags.DeepClone();
            }

            normalized = options.Check(input);
        }
        catch (AwsException rejected)
        {
            context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.Rejected, rejected.Message, RejectedPath(rejected.Message, declaration),
                "CodePipeline rejects the declaration as it is (CreatePipeline and UpdatePipeline answer this); fix it and lint again", rejected.Code);
            return new PipelineLintResult(diagnostics, null);
        }

        var actions = PlannedActions(normalized);
        CheckVariables(normalized, actions, context);
        CheckActions(actions, context);
        if (options.Environment is { } environment)
        {
            await CheckEnvironmentAsync(normalized, actions, environment, context, cancellationToken);
        }

        return new PipelineLintResult(diagnostics, normalized);
    }

    /// <summary>
    /// The findings a declaration CodePipeline accepted still has (variables, action configuration, providers Cairn does not
    /// run), by path and without lines: what CreatePipeline and UpdatePipeline log as warnings.
    /// </summary>
    public static IReadOnlyList<PipelineDiagnostic> LintDeclaration(JsonObject normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        var diagnostics = new List<PipelineDiagnostic>();
        var context = new LintContext(JsonLocator.Empty, string.Empty, diagnostics);
        var actions = PlannedActions(normalized);
        CheckVariables(normalized, actions, context);
        CheckActions(actions, context);
        return diagnostics;
    }

    /// <summary>Every action in the order it runs: its stage and position (stage index, runOrder), with its path in the declaration.</summary>
    private static List<PlannedAction> PlannedActions(JsonObject declaration)
    {
        var planned = new List<PlannedAction>();
        var stages = declaration["stages"]!.AsArray();
        for (var s = 0; s < stages.Count; s++)
        {
            var stage = stages[s]!.AsObject();
            var actions = stage["actions"]!.AsArray();
            for (var a = 0; a < actions.Count; a++)
            {
                var action = actions[a]!.AsObject();
                var type = action["actionTypeId"]!.AsObject();
                planned.Add(new PlannedAction(
                    stage["name"]!.GetValue<string>(), action["name"]!.GetValue<string>(), s, action["runOrder"]?.GetValue<int>() ?? 1,
                    new ActionTypeId(Text(type, "category")!, Text(type, "owner")!, Text(type, "provider")!, Text(type, "version")!),
                    Text(action, "namespace"), action, $"stages[{s}].actions[{a}]"));
            }
        }

        return planned;
    }

    /// <summary>The declaration path AWS's message is about, when it names a stage or an action (for the line number).</summary>
    private static string RejectedPath(string message, JsonObject declaration)
    {
        var stages = declaration["stages"] as JsonArray ?? [];
        for (var s = 0; s < stages.Count; s++)
        {
            if (stages[s] is not JsonObject stage || stage["actions"] is not JsonArray actions)
            {
                continue;
            }

            for (var a = 0; a < actions.Count; a++)
            {
                if (actions[a] is JsonObject action && action["name"] is JsonValue name && name.TryGetValue<string>(out var actionName)
                    && message.Contains($"'{actionName}'", StringComparison.Ordinal))
                {
                    return $"stages[{s}].actions[{a}]";
                }
            }

            if (stage["name"] is JsonValue stageName && stageName.TryGetValue<string>(out var text) && message.Contains($"'{text}'", StringComparison.Ordinal))
            {
                return $"stages[{s}]";
            }
        }

        return string.Empty;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    internal static string? Text(JsonObject node, string member) =>
        node[member] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>An action with where it runs: stage index, then runOrder (actions of one stage and runOrder run together).</summary>
    private sealed record PlannedAction(string Stage, string Name, int StageIndex, int RunOrder, ActionTypeId Type, string? Namespace, JsonObject Declaration, string Path)
    {
        public bool RunsBefore(PlannedAction other) => StageIndex < other.StageIndex || (StageIndex == other.StageIndex && RunOrder < other.RunOrder);

        public string Describe => $"action '{Name}' in stage '{Stage}'";
    }

    /// <summary>Where findings go, with paths made relative to the file's root.</summary>
    private sealed class LintContext(JsonLocator locator, string prefix, List<PipelineDiagnostic> diagnostics)
    {
        public SourceLocation Locate(string path) => locator.Find(Full(path));

        public void Add(DiagnosticSeverity severity, string code, string message, string path, string? hint, string? awsStatusCode = null) =>
            diagnostics.Add(new PipelineDiagnostic(severity, code, message, Full(path), Locate(path), hint, awsStatusCode));

        private string Full(string path) => prefix.Length == 0 ? path : path.Length == 0 ? prefix : prefix + "." + path;
    }
}

/// <summary>What the pipeline linter needs besides the text.</summary>
public sealed record PipelineLintOptions(Func<JsonObject, JsonObject> Check)
{
    /// <summary>A running Cairn to check names and permissions against; null checks the file alone.</summary>
    public IPipelineLintEnvironment? Environment { get; init; }
}

/// <summary>The findings in file order, and the normalized declaration when CodePipeline would accept it.</summary>
public sealed record PipelineLintResult(IReadOnlyList<PipelineDiagnostic> Diagnostics, JsonObject? Declaration)
{
    public int ErrorCount => Diagnostics.Count(d => d.IsError);

    public int WarningCount => Diagnostics.Count(d => !d.IsError);

    public bool HasErrors => ErrorCount > 0;
}
