using System.Text;
using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Application.Builds.Queue;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;

namespace Cairn.Server.Services.CodeBuild;

/// <summary>
/// CodeBuild, spoken as CodeBuild_20161006 over JSON 1.1. Every operation: check the input against the model's shape,
/// authorize <c>codebuild:&lt;Action&gt;</c> on the project's ARN in the request's region, then act. Builds are
/// started through the application's <see cref="BuildService"/> and run by <see cref="Queue.BuildWorkerPool"/>. Operation families live in the partial files next to this one.
/// </summary>
internal sealed partial class CodeBuildService(
    IBuildStore store,
    IAuthorizer authorizer,
    BuildService builds,
    Application.Builds.Reports.ReportService reports,
    IBuildLogStore logs,
    BuildWorkspaces workspaces,
    IBuildFileStore buildFiles,
    ServerEndpoint endpoint,
    TimeProvider time) : IJsonService
{
    private const int PageSize = 100;

    public string TargetPrefix => "CodeBuild_20161006";

    public string SigningName => "codebuild";

    public IReadOnlyCollection<string> Operations { get; } =
    [
        "CreateProject", "UpdateProject", "DeleteProject", "BatchGetProjects", "ListProjects", "StartBuild", "BatchGetBuilds",
        "StopBuild", "RetryBuild", "ListBuilds", "ListBuildsForProject", "BatchDeleteBuilds",
        "CreateReportGroup", "UpdateReportGroup", "DeleteReportGroup", "BatchGetReportGroups", "ListReportGroups", "ListReports",
        "ListReportsForReportGroup", "BatchGetReports", "DescribeTestCases", "DeleteReport", "GetReportGroupTrend",
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
            "CreateReportGroup" => CreateReportGroupAsync(input, context, cancellationToken),
            "UpdateReportGroup" => UpdateReportGroupAsync(input, context, cancellationToken),
            "DeleteReportGroup" => DeleteReportGroupAsync(input, context, cancellationToken),
            "BatchGetReportGroups" => BatchGetReportGroupsAsync(input, context, cancellationToken),
            "ListReportGroups" => ListReportGroupsAsync(input, context, cancellationToken),
            "ListReports" => ListReportsAsync(input, context, cancellationToken),
            "ListReportsForReportGroup" => ListReportsForReportGroupAsync(input, context, cancellationToken),
            "BatchGetReports" => BatchGetReportsAsync(input, context, cancellationToken),
            "DescribeTestCases" => DescribeTestCasesAsync(input, context, cancellationToken),
            "DeleteReport" => DeleteReportAsync(input, context, cancellationToken),
            "GetReportGroupTrend" => GetReportGroupTrendAsync(input, context, cancellationToken),
            _ => throw AwsErrors.UnknownOperation("CodeBuild", operation, Operations),
        };

    private DateTimeOffset Now => time.GetUtcNow();

    private static BuildScope ScopeOf(RequestContext context) => new(context.AccountId, context.Region);

    private static void Validate(JsonObject input, StructureShape shape) => InputValidator.Validate(input, shape);

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "codebuild:" + action, resourceArn, cancellationToken);

    private static string? Text(JsonObject input, string member) => input[member]?.GetValue<string>();

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

}
