using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Core.Errors;

namespace Cairn.Application.Builds;

/// <summary>
/// Builds and checks project documents: the members a caller set, with the defaults CodeBuild fills in, checked for
/// what the model's shapes cannot say (a role ARN in the caller's account, a buildspec for NO_SOURCE, ...).
/// </summary>
public static class ProjectDocuments
{
    private const string ReservedPrefix = "CODEBUILD_";

    public static JsonObject ForCreate(JsonObject input)
    {
        var document = (JsonObject)input.DeepClone();
        return WithDefaults(document);
    }

    /// <summary>Fills in what CodeBuild reports for members left out (as BatchGetProjects shows them).</summary>
    public static JsonObject WithDefaults(JsonObject document)
    {
        if (document["environment"] is JsonObject environment)
        {
            environment["environmentVariables"] ??= new JsonArray();
            environment["privilegedMode"] ??= false;
            environment["imagePullCredentialsType"] ??= "CODEBUILD";
            foreach (var variable in environment["environmentVariables"]!.AsArray().OfType<JsonObject>())
            {
                variable["type"] ??= EnvironmentVariable.Plaintext;
            }
        }

        if (document["source"] is JsonObject source && SourceTypes.IsGit(source["type"]?.GetValue<string>() ?? string.Empty))
        {
            source["insecureSsl"] ??= false;
        }

        return document;
    }

    /// <summary>Checks the document's cross-member rules and returns its typed settings.</summary>
    public static ProjectSettings Check(JsonObject document, BuildScope scope)
    {
        var settings = ProjectSettings.FromDocument(document);
        CheckRole(settings.ServiceRole, scope);
        CheckSource(settings.Source);
        CheckVariables(settings.Environment.Variables);
        return settings;
    }

    public static void CheckRole(string role, BuildScope scope)
    {
        var prefix = $"arn:aws:iam::{scope.AccountId}:role/";
        if (!role.StartsWith(prefix, StringComparison.Ordinal) || role.Length == prefix.Length)
        {
            throw AwsErrors.InvalidServiceRole(role, scope.AccountId);
        }
    }

    public static void CheckSource(ProjectSource source)
    {
        if (source.Type == SourceTypes.NoSource && string.IsNullOrWhiteSpace(source.Buildspec))
        {
            throw AwsErrors.NoSourceNeedsBuildspec();
        }

        if (SourceTypes.IsGit(source.Type) && string.IsNullOrWhiteSpace(source.Location))
        {
            throw AwsErrors.SourceLocationRequired(source.Type);
        }
    }

    public static void CheckVariables(IEnumerable<EnvironmentVariable> variables)
    {
        foreach (var variable in variables)
        {
            if (variable.Name.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw AwsErrors.ReservedEnvironmentVariable(variable.Name);
            }
        }
    }
}
