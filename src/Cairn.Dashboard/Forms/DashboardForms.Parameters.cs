using Cairn.Application.Parameters;
using Cairn.Core.Errors;
using Cairn.Core.Parameters;
using Cairn.Dashboard.Components.Pages;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Dashboard.Forms;

/// <summary>The Parameter Store forms: Reveal (GetParameter WithDecryption, answered in place) and Put (PutParameter).</summary>
internal static partial class DashboardForms
{
    private static void MapParameters(IEndpointRouteBuilder routes)
    {
        routes.MapPost(DashboardRoutes.RevealParameter, RevealParameterAsync).WithMetadata(DashboardEndpoint.SignedIn);
        routes.MapPost(DashboardRoutes.PutParameter, PutParameterAsync).WithMetadata(DashboardEndpoint.SignedIn);
    }

    /// <summary>
    /// The value is in this response only (no-store, never in a URL, never redirected to): the parameter's page rendered
    /// with it. A denial (IAM or the key's policy) renders the same page with AccessDenied and its fix.
    /// </summary>
    private static async Task<IResult> RevealParameterAsync(
        [FromForm] RevealForm? form, DashboardUser user, ParameterService parameters, CancellationToken cancellationToken)
    {
        form ??= new RevealForm();
        var name = form.Name ?? string.Empty;
        var page = new Dictionary<string, object?> { [nameof(ParameterPage.RevealName)] = name };
        try
        {
            if (name.Length == 0 || name.Contains(':', StringComparison.Ordinal))
            {
                throw AwsErrors.Validation("Reveal needs the parameter's name (without a selector) and a version: submit the form from the parameter's page.");
            }

            var version = form.Version is { Length: > 0 } text
                ? long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0
                    ? number
                    : throw AwsErrors.Validation($"Invalid version '{Shorten(text)}': a parameter version is a whole number from 1.")
                : (long?)null;
            var selector = version is null ? name : $"{name}:{version.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            page[nameof(ParameterPage.Revealed)] = await parameters.GetParameterAsync(user.Context, selector, withDecryption: true, cancellationToken);
            return new RazorComponentResult<ParameterPage>(page);
        }
        catch (AwsException error)
        {
            page[nameof(ParameterPage.RevealProblem)] = error;
            return new RazorComponentResult<ParameterPage>(page) { StatusCode = ProblemPage.StatusOf(error) };
        }
    }

    private static async Task<IResult> PutParameterAsync(
        [FromForm] PutParameterForm? form, DashboardUser user, ParameterService parameters, CancellationToken cancellationToken)
    {
        form ??= new PutParameterForm();
        try
        {
            var type = form.Type ?? ParameterTypes.String;
            if (type is not (ParameterTypes.String or ParameterTypes.StringList or ParameterTypes.SecureString))
            {
                throw AwsErrors.Validation(
                    $"1 validation error detected: Value '{Shorten(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [String, StringList, SecureString]");
            }

            if (form.Description is { Length: > 1024 } description)
            {
                throw AwsErrors.Validation(
                    $"1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024 (it has {description.Length}).");
            }

            var keyId = string.IsNullOrWhiteSpace(form.KeyId) ? null : form.KeyId.Trim();
            if (keyId is not null && type != ParameterTypes.SecureString)
            {
                throw AwsErrors.Validation($"A KMS key is only used by a SecureString; leave it empty for a {type}, or choose SecureString.");
            }

            await parameters.PutParameterAsync(user.Context, new PutParameterRequest(form.Name?.Trim() ?? string.Empty, form.Value ?? string.Empty)
            {
                Type = type,
                KeyId = keyId,
                Description = string.IsNullOrEmpty(form.Description) ? null : form.Description,
                Overwrite = form.Overwrite == "true",
            }, cancellationToken);
            return SeeOther(DashboardRoutes.Parameter(form.Name!.Trim()));
        }
        catch (AwsException error)
        {
            return new RazorComponentResult<PutParameterPage>(new Dictionary<string, object?>
            {
                [nameof(PutParameterPage.Error)] = error,
                [nameof(PutParameterPage.Name)] = form.Name,
                [nameof(PutParameterPage.Type)] = form.Type,
                [nameof(PutParameterPage.Value)] = form.Type == ParameterTypes.SecureString ? null : form.Value,
                [nameof(PutParameterPage.Description)] = form.Description,
                [nameof(PutParameterPage.KeyId)] = form.KeyId,
                [nameof(PutParameterPage.Overwrite)] = form.Overwrite == "true",
            }) { StatusCode = ProblemPage.StatusOf(error) };
        }
    }
}

internal sealed class RevealForm
{
    public string? Name { get; set; }

    public string? Version { get; set; }
}

internal sealed class PutParameterForm
{
    public string? Name { get; set; }

    public string? Type { get; set; }

    public string? Value { get; set; }

    public string? Description { get; set; }

    public string? KeyId { get; set; }

    public string? Overwrite { get; set; }
}
