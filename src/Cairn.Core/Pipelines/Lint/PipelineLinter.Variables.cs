using System.Text.Json.Nodes;
using Cairn.Core.Buildspec;

namespace Cairn.Core.Pipelines.Lint;

public static partial class PipelineLinter
{
    /// <summary>The output variables of the providers whose variables are fixed (AWS's "Variables reference"); others' depend on what they run.</summary>
    private static readonly Dictionary<string, string[]> FixedOutputVariables = new(StringComparer.Ordinal)
    {
        ["CodeStarSourceConnection"] = ["AuthorDate", "BranchName", "CommitId", "CommitMessage", "ConnectionArn", "FullRepositoryName"],
        ["CodeCommit"] = ["AuthorDate", "BranchName", "CommitId", "CommitMessage", "CommitterDate", "RepositoryName"],
        ["S3"] = ["ETag", "VersionId"],
        ["ECR"] = ["ImageDigest", "ImageTag", "ImageURI", "RegistryId", "RepositoryName"],
    };

    /// <summary>Each <c>#{...}</c> in an action's configuration must name a variable that exists by the time the action runs.</summary>
    private static void CheckVariables(JsonObject declaration, List<PlannedAction> actions, LintContext context)
    {
        var pipelineVariables = (declaration["variables"] as JsonArray ?? [])
            .Select(v => v is JsonObject variable ? Text(variable, "name") : null).OfType<string>().ToList();
        var namespaces = actions.Where(a => a.Namespace is not null).Select(a => a.Namespace!).ToList();
        foreach (var action in actions)
        {
            if (action.Declaration["configuration"] is not JsonObject configuration)
            {
                continue;
            }

            foreach (var (key, node) in configuration)
            {
                if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
                {
                    continue;
                }

                var path = $"{action.Path}.configuration.{key}";
                var (references, malformed) = VariableReferences.Find(text);
                foreach (var (_, written) in malformed)
                {
                    context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.MalformedVariable,
                        $"{action.Describe}: '{written}' in {key} is not a variable reference; an execution passes it on as text",
                        path, "write variables as #{namespace.name}: #{SourceVariables.CommitId}, #{codepipeline.PipelineExecutionId} or #{variables.name}");
                }

                foreach (var reference in references)
                {
                    CheckReference(reference, action, key, path, actions, namespaces, pipelineVariables, context);
                }
            }
        }
    }

    private static void CheckReference(
        VariableReference reference, PlannedAction action, string key, string path, List<PlannedAction> actions,
        List<string> namespaces, List<string> pipelineVariables, LintContext context)
    {
        var where = $"{action.Describe}: {reference.Text} in {key}";
        switch (reference.Namespace)
        {
            case VariableReferences.CodePipelineNamespace:
                if (!VariableReferences.CodePipelineVariables.Contains(reference.Key, StringComparer.Ordinal))
                {
                    context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.UnknownCodePipelineVariable,
                        $"{where}: the codepipeline namespace has no variable '{reference.Key}'", path,
                        $"the codepipeline namespace has {string.Join(", ", VariableReferences.CodePipelineVariables.Select(v => $"#{{codepipeline.{v}}}"))}");
                }

                return;
            case VariableReferences.PipelineVariablesNamespace:
                if (!pipelineVariables.Contains(reference.Key, StringComparer.Ordinal))
                {
                    var meant = DidYouMean.Suggest(reference.Key, pipelineVariables);
                    context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.UnknownPipelineVariable,
                        $"{where}: the pipeline declares no variable '{reference.Key}'", path,
                        meant is not null
                            ? $"did you mean #{{variables.{meant}}}?"
                            : $"declare it in the pipeline's \"variables\" (a V2 pipeline): {{\"name\": \"{reference.Key}\", \"defaultValue\": \"...\"}}, or pass it to start-pipeline-execution --variables name={reference.Key},value=...");
                }

                return;
        }

        var producer = actions.FirstOrDefault(a => a.Namespace == reference.Namespace);
        if (producer is null)
        {
            var named = actions.FirstOrDefault(a => string.Equals(a.Name, reference.Namespace, StringComparison.OrdinalIgnoreCase) && a.Namespace is null);
            var meant = DidYouMean.Suggest(reference.Namespace, namespaces);
            context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.UnknownNamespace,
                $"{where}: no action has the namespace '{reference.Namespace}'", path,
                meant is not null ? $"did you mean #{{{meant}.{reference.Key}}}?"
                : named is not null ? $"{named.Describe} has no namespace; give it one: \"namespace\": \"{reference.Namespace}\""
                : $"set \"namespace\": \"{reference.Namespace}\" on the action whose output variables these are");
            return;
        }

        if (!producer.RunsBefore(action))
        {
            var when = producer == action ? "is this action's own" : producer.StageIndex == action.StageIndex && producer.RunOrder == action.RunOrder
                ? $"comes from {producer.Describe}, which runs at the same time (the same runOrder)"
                : $"comes from {producer.Describe}, which runs later";
            context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.VariableNotYetSet,
                $"{where}: the variable {when}, so it has no value yet", path,
                producer.StageIndex == action.StageIndex
                    ? $"give {producer.Describe} a lower runOrder than this action's ({action.RunOrder})"
                    : "use the variable in an action that runs after the one that sets it");
            return;
        }

        if (FixedOutputVariables.TryGetValue(producer.Type.Provider, out var known) && !known.Contains(reference.Key, StringComparer.Ordinal))
        {
            var meant = DidYouMean.Suggest(reference.Key, known);
            context.Add(DiagnosticSeverity.Warning, PipelineDiagnosticCodes.UnknownOutputVariable,
                $"{where}: a {producer.Type.Provider} action has no output variable '{reference.Key}'", path,
                meant is not null ? $"did you mean #{{{reference.Namespace}.{meant}}}?" : $"its variables are {string.Join(", ", known)}");
        }
    }
}
