using System.Text;
using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;
using Cairn.Server.Services.CodeBuild.Logs;
using Cairn.Server.Services.CodeBuild.Queue;
using Cairn.Storage.Builds;

namespace Cairn.Server.Services.CodeBuild;

/// <summary>
/// CodeBuild, spoken as CodeBuild_20161006 over JSON 1.1. Every operation: check the input against the model's shape,
/// authorize <c>codebuild:&lt;Action&gt;</c> on the project's ARN in the request's region, then act. Builds are
/// queued here and run by <see cref="BuildWorkerPool"/>. Operation families live in the partial files next to this one.
/// </summary>
internal sealed partial class CodeBuildService(
    IBuildStore store,
    IAuthorizer authorizer,
    BuildQueue queue,
    BuildLogStore logs,
    ServerEndpoint endpoint,
    TimeProvider time) : IJsonService
{
    private const int PageSize = 100;

    /// <summary>Cairn's own action for configuring privileged mode, or changing what a privileged project runs.</summary>
    public const string PrivilegedBuildAction = "cairn:RunPrivilegedBuild";

    /// <summary>StartBuild members that change what a privileged build runs, so they need <see cref="PrivilegedBuildAction"/>.</summary>
    private static readonly string[] PrivilegedOverrides =
    [
        "privilegedModeOverride", "buildspecOverride", "sourceLocationOverride", "sourceTypeOverride", "imageOverride", "environmentTypeOverride",
    ];

    public string TargetPrefix => "CodeBuild_20161006";

    public string SigningName => "codebuild";

    public IReadOnlyCollection<string> Operations { get; } =
    [
        "CreateProject", "UpdateProject", "DeleteProject", "BatchGetProjects", "ListProjects", "StartBuild", "BatchGetBuilds",
        "StopBuild", "RetryBuild", "ListBuilds", "ListBuildsForProject", "BatchDeleteBuilds",
    ];

    public Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "CreateProject" => CreateProjectAsync(input, context, cancellationToken),
            "UpdateProject" => UpdateProjectAsync(input, context, cancellationToken),
            "DeleteProject" => DeleteProjectAsync(input, context, cancellationToken),
            "BatchGetProjects" => BatchGetProjectsAsync(input, context, cancellationToken),
            "ListProjects" => ListProjectsAsync(input, context, cancellationToken),
            "StartBuild" => StartBuildAsync(input, context, cancellationToken),
            "BatchGetBuilds" => BatchGetBuildsAsync(input, context, cancellationToken),
            "StopBuild" => StopBuildAsync(input, context, cancellationToken),
            "RetryBuild" => RetryBuildAsync(input, context, cancellationToken),
            "ListBuilds" => ListBuildsAsync(input, context, cancellationToken),
            "ListBuildsForProject" => ListBuildsForProjectAsync(input, context, cancellationToken),
            "BatchDeleteBuilds" => BatchDeleteBuildsAsync(input, context, cancellationToken),
            _ => throw AwsErrors.UnknownOperation("CodeBuild", operation, Operations),
        };

    private DateTimeOffset Now => time.GetUtcNow();

    private static BuildScope ScopeOf(RequestContext context) => new(context.AccountId, context.Region);

    private static void Validate(JsonObject input, StructureShape shape) => InputValidator.Validate(input, shape);

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "codebuild:" + action, resourceArn, cancellationToken);

    /// <summary>
    /// iam:PassRole on the service role, as AWS checks it for every API that hands CodeBuild a role (CreateProject,
    /// UpdateProject and StartBuild with a role): without it, anyone who may create projects could run builds as any role.
    /// </summary>
    private async Task AuthorizePassRoleAsync(RequestContext context, string roleArn, string projectArn, CancellationToken cancellationToken)
    {
        var request = new AccessRequest("iam:PassRole", roleArn)
        {
            Conditions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["iam:PassedToService"] = Execution.BuildJob.ServicePrincipal,
                ["iam:AssociatedResourceArn"] = projectArn,
            },
        };
        try
        {
            await authorizer.AuthorizeAsync(context, request, cancellationToken);
        }
        catch (AwsException denied) when (denied.IsAccessDenied)
        {
            throw AwsErrors.PassRoleDenied(denied.Message, roleArn, Execution.BuildJob.ServicePrincipal);
        }
    }

    /// <summary>Cairn's permission for privileged mode (the host's Docker engine: root on this host), beyond codebuild:*.</summary>
    private async Task AuthorizePrivilegedAsync(RequestContext context, string projectArn, CancellationToken cancellationToken)
    {
        try
        {
            await authorizer.AuthorizeAsync(context, PrivilegedBuildAction, projectArn, cancellationToken);
        }
        catch (AwsException denied) when (denied.IsAccessDenied)
        {
            throw AwsErrors.PrivilegedBuildDenied(denied.Message, projectArn);
        }
    }

    private static string? Text(JsonObject input, string member) => input[member]?.GetValue<string>();

    /// <summary>A project is named by its name or, in batch reads, its ARN.</summary>
    private static string ProjectNameOf(BuildScope scope, string nameOrArn)
    {
        var prefix = scope.ProjectArn(string.Empty);
        return nameOrArn.StartsWith(prefix, StringComparison.Ordinal) ? nameOrArn[prefix.Length..] : nameOrArn;
    }

    /// <summary>Splits "project:uuid" (or a build ARN) into its parts.</summary>
    private static (string Project, string Uuid) ParseBuildId(BuildScope scope, string idOrArn)
    {
        var prefix = scope.BuildArn(string.Empty);
        var id = idOrArn.StartsWith(prefix, StringComparison.Ordinal) ? idOrArn[prefix.Length..] : idOrArn;
        var colon = id.LastIndexOf(':');
        if (colon <= 0 || colon == id.Length - 1)
        {
            throw AwsErrors.InvalidBuildId(idOrArn);
        }

        return (id[..colon], id[(colon + 1)..]);
    }

    private static string EncodeToken(long position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("cairn:" + position.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static long? DecodeToken(string? token)
    {
        if (token is null)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("cairn:", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(6), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position))
            {
                return position;
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        throw AwsErrors.InvalidNextTokenInput();
    }

    /// <summary>CODEBUILD_INITIATOR: the user's name, role/session for an assumed role, "root" for the account.</summary>
    private static string InitiatorOf(Principal principal) => principal.Kind switch
    {
        PrincipalKind.User => principal.Name ?? principal.Arn,
        PrincipalKind.AssumedRole => $"{principal.Name}/{principal.SessionName}",
        PrincipalKind.Root => "root",
        _ => principal.Arn,
    };
}
