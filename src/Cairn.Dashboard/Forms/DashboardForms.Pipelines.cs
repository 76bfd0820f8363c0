using System.Text.RegularExpressions;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Errors;
using Cairn.Core.Pipelines.Executions;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Dashboard.Forms;

/// <summary>The pipeline page's forms: Approve/Reject (PutApprovalResult), Retry (RetryStageExecution), Stop (StopPipelineExecution).</summary>
internal static partial class DashboardForms
{
    private static void MapPipelines(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/pipelines/{name}/approval", PutApprovalResultAsync).WithMetadata(DashboardEndpoint.SignedIn);
        routes.MapPost("/pipelines/{name}/retry", RetryStageAsync).WithMetadata(DashboardEndpoint.SignedIn);
        routes.MapPost("/pipelines/{name}/stop", StopExecutionAsync).WithMetadata(DashboardEndpoint.SignedIn);
    }

    private static async Task<IResult> PutApprovalResultAsync(
        string name, [FromForm] ApprovalForm? form, DashboardUser user, PipelineExecutionService executions, CancellationToken cancellationToken)
    {
        try
        {
            form ??= new ApprovalForm();
            var approved = form.Decision switch
            {
                "Approved" => true,
                "Rejected" => false,
                _ => throw AwsErrors.Validation($"Invalid approval decision '{Shorten(form.Decision ?? "")}': press Approve or Reject (result.status is Approved or Rejected)."),
            };
            var summary = form.Summary ?? string.Empty;
            if (summary.Length > 512)
            {
                throw AwsErrors.Validation($"The comment is {summary.Length} characters long; an approval's summary is at most 512. Shorten it and submit again.");
            }

            await executions.PutApprovalResultAsync(
                user.Context, name, Required(form.StageName, "stageName"), Required(form.ActionName, "actionName"),
                ExecutionIdOrToken(form.Token, "token"), approved, summary, cancellationToken);
            return SeeOther(DashboardRoutes.Pipeline(name));
        }
        catch (AwsException error)
        {
            return Problem(error);
        }
    }

    private static async Task<IResult> RetryStageAsync(
        string name, [FromForm] RetryForm? form, DashboardUser user, PipelineExecutionService executions, CancellationToken cancellationToken)
    {
        try
        {
            form ??= new RetryForm();
            var mode = form.RetryMode ?? ExecutionKinds.FailedActions;
            if (mode is not (ExecutionKinds.FailedActions or ExecutionKinds.AllActions))
            {
                throw AwsErrors.Validation($"Invalid retry mode '{Shorten(mode)}': use {ExecutionKinds.FailedActions} (run the failed actions again) or {ExecutionKinds.AllActions}.");
            }

            await executions.RetryStageAsync(
                user.Context, name, Required(form.StageName, "stageName"), ExecutionIdOrToken(form.ExecutionId, "pipelineExecutionId"), mode, cancellationToken);
            return SeeOther(DashboardRoutes.Pipeline(name));
        }
        catch (AwsException error)
        {
            return Problem(error);
        }
    }

    private static async Task<IResult> StopExecutionAsync(
        string name, [FromForm] StopForm? form, DashboardUser user, PipelineExecutionService executions, CancellationToken cancellationToken)
    {
        try
        {
            form ??= new StopForm();
            var reason = string.IsNullOrWhiteSpace(form.Reason) ? null : form.Reason.Trim();
            if (reason is { Length: > 200 })
            {
                throw AwsErrors.Validation($"The reason is {reason.Length} characters long; a stop reason is at most 200. Shorten it and submit again.");
            }

            var abandon = form.Abandon switch
            {
                null or "" or "false" => false,
                "true" or "on" => true,
                _ => throw AwsErrors.Validation($"Invalid abandon value '{Shorten(form.Abandon)}': tick the box (true) or leave it (false)."),
            };
            await executions.StopAsync(user.Context, name, ExecutionIdOrToken(form.ExecutionId, "pipelineExecutionId"), abandon, reason, cancellationToken);
            return SeeOther(DashboardRoutes.Pipeline(name));
        }
        catch (AwsException error)
        {
            return Problem(error);
        }
    }

    private static string Required(string? value, string member) =>
        string.IsNullOrEmpty(value)
            ? throw AwsErrors.Validation($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null. Submit the form from the pipeline page.")
            : value;

    /// <summary>Execution ids and approval tokens are UUIDs, as CodePipeline's model says (checked before the engine sees them).</summary>
    private static string ExecutionIdOrToken(string? value, string member)
    {
        var text = Required(value, member);
        return Uuid().IsMatch(text)
            ? text
            : throw AwsErrors.Validation($"1 validation error detected: Value '{Shorten(text)}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {Uuid()}. Submit the form from the pipeline page.");
    }

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex Uuid();
}

internal sealed class ApprovalForm
{
    public string? StageName { get; set; }

    public string? ActionName { get; set; }

    public string? Token { get; set; }

    public string? Summary { get; set; }

    public string? Decision { get; set; }
}

internal sealed class RetryForm
{
    public string? StageName { get; set; }

    public string? ExecutionId { get; set; }

    public string? RetryMode { get; set; }
}

internal sealed class StopForm
{
    public string? ExecutionId { get; set; }

    public string? Reason { get; set; }

    public string? Abandon { get; set; }
}
