using System.Text.Json.Nodes;
using Cairn.Core.Buildspec;

namespace Cairn.Core.Pipelines.Lint;

public static partial class PipelineLinter
{
    /// <summary>What the pipeline's role calls for each CodeBuild action: start the build, then follow it.</summary>
    private static readonly string[] CodeBuildActions = ["codebuild:StartBuild", "codebuild:BatchGetBuilds"];

    private static async Task CheckEnvironmentAsync(
        JsonObject declaration, List<PlannedAction> actions, IPipelineLintEnvironment environment, LintContext context, CancellationToken cancellationToken)
    {
        var roleArn = Text(declaration, "roleArn")!;
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        if (await environment.RoleExistsAsync(roleArn, cancellationToken) == false)
        {
            context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.RoleNotFound, $"the pipeline's role {roleArn} does not exist: every execution fails",
                "roleArn", $"create it with: aws iam create-role --role-name {roleName} --assume-role-policy-document "
                    + "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"codepipeline.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'");
            return;
        }

        foreach (var action in actions)
        {
            if (action.Declaration["configuration"] is not JsonObject configuration)
            {
                continue;
            }

            switch (action.Type.Provider)
            {
                case "CodeBuild":
                    await CheckCodeBuildActionAsync(action, configuration, roleArn, roleName, environment, context, cancellationToken);
                    break;
                case "CodeStarSourceConnection" when Text(configuration, "ConnectionArn") is { } connection && !HasVariables(connection):
                    await RequireAsync(environment, roleArn, roleName, "codestar-connections:UseConnection", connection, action, "configuration.ConnectionArn",
                        PipelineDiagnosticCodes.PipelineRoleMissingPermission, "the pipeline's role", context, cancellationToken);
                    break;
            }
        }
    }

    private static async Task CheckCodeBuildActionAsync(
        PlannedAction action, JsonObject configuration, string roleArn, string roleName, IPipelineLintEnvironment environment, LintContext context,
        CancellationToken cancellationToken)
    {
        if (Text(configuration, "ProjectName") is not { } projectName || HasVariables(projectName))
        {
            return;
        }

        var project = await environment.FindProjectAsync(projectName, cancellationToken);
        if (project is null)
        {
            var meant = DidYouMean.Suggest(projectName, await environment.ListProjectNamesAsync(cancellationToken));
            context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.ProjectNotFound,
                $"{action.Describe}: there is no CodeBuild project '{projectName}' in {environment.Region}", action.Path + ".configuration.ProjectName",
                meant is not null ? $"did you mean {meant}?" : "create it with: aws codebuild create-project --name " + projectName + " --source type=CODEPIPELINE --artifacts type=CODEPIPELINE --environment ... --service-role ...");
            return;
        }

        foreach (var permission in CodeBuildActions)
        {
            await RequireAsync(environment, roleArn, roleName, permission, project.Arn, action, "configuration.ProjectName",
                PipelineDiagnosticCodes.PipelineRoleMissingPermission, "the pipeline's role", context, cancellationToken);
        }

        // PARAMETER_STORE variables are read by the build's role when the build starts: the action's and the project's own.
        var parameters = new Dictionary<string, string>(project.ParameterStoreVariables, StringComparer.Ordinal);
        if (Text(configuration, "EnvironmentVariables") is { } text)
        {
            foreach (var (entry, _) in EnvironmentVariableEntries(text))
            {
                if (entry is not null && Text(entry, "type") == "PARAMETER_STORE" && Text(entry, "value") is { } parameter && !HasVariables(parameter))
                {
                    parameters[Text(entry, "name")!] = parameter;
                }
            }
        }

        var buildRoleName = project.ServiceRole[(project.ServiceRole.LastIndexOf('/') + 1)..];
        foreach (var (variable, parameter) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (await environment.ParameterExistsAsync(parameter, cancellationToken) == false)
            {
                context.Add(DiagnosticSeverity.Error, PipelineDiagnosticCodes.ParameterNotFound,
                    $"{action.Describe}: environment variable {variable} reads parameter {parameter}, which does not exist: the build fails in DOWNLOAD_SOURCE",
                    action.Path + ".configuration.EnvironmentVariables", $"create it with: aws ssm put-parameter --name {parameter} --type SecureString --value ...");
                continue;
            }

            var parameterArn = $"arn:aws:ssm:{environment.Region}:{environment.AccountId}:parameter/{parameter.TrimStart('/')}";
            await RequireAsync(environment, project.ServiceRole, buildRoleName, "ssm:GetParameters", parameterArn, action, "configuration.EnvironmentVariables",
                PipelineDiagnosticCodes.BuildRoleMissingPermission, $"project {project.Name}'s service role (for {variable})", context, cancellationToken);
        }
    }

    /// <summary>A finding, with the statement and the command that grant it, when the role's policies do not allow the action.</summary>
    private static async Task RequireAsync(
        IPipelineLintEnvironment environment, string roleArn, string roleName, string permission, string resourceArn, PlannedAction action, string member,
        string code, string whose, LintContext context, CancellationToken cancellationToken)
    {
        if (await environment.IsAllowedAsync(roleArn, permission, resourceArn, cancellationToken) != false)
        {
            return;
        }

        var statement = $"{{\"Effect\":\"Allow\",\"Action\":\"{permission}\",\"Resource\":\"{resourceArn}\"}}";
        context.Add(DiagnosticSeverity.Error, code, $"{action.Describe}: {whose} {roleArn} is not allowed {permission} on {resourceArn}: the action fails with AccessDenied",
            $"{action.Path}.{member}",
            $"allow it with the statement {statement}: aws iam put-role-policy --role-name {roleName} --policy-name {permission.Replace(':', '-')} "
                + $"--policy-document '{{\"Version\":\"2012-10-17\",\"Statement\":[{statement}]}}'");
    }

    private static bool HasVariables(string value) => value.Contains("#{", StringComparison.Ordinal);
}
