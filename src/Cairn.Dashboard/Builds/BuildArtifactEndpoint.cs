using Cairn.Application.Builds;
using Cairn.Core.Errors;
using Cairn.Dashboard.Components.Pages;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Dashboard.Builds;

/// <summary>
/// <c>GET /builds/{id}/artifacts?path=...</c>: one of the build's artifact files as a download, read through
/// <see cref="BuildFileService.OpenArtifactAsync"/> as the signed-in principal (codebuild:BatchGetBuilds on the project);
/// a bad path is a 400 page, a missing file or build a 404, a denial a 403 with the statement that grants it.
/// </summary>
internal static class BuildArtifactEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/builds/{id}/artifacts", DownloadAsync).WithMetadata(DashboardEndpoint.SignedIn);

    private static async Task<IResult> DownloadAsync(string id, string? path, DashboardUser user, BuildFileService files, CancellationToken cancellationToken)
    {
        try
        {
            var artifact = await files.OpenArtifactAsync(user.Context, id, path, cancellationToken);
            // Always a download, never rendered here: a build's HTML must not run as this site.
            return Results.Stream(artifact.Content, "application/octet-stream", fileDownloadName: Path.GetFileName(artifact.Path));
        }
        catch (AwsException error)
        {
            return new RazorComponentResult<ProblemPage>(new Dictionary<string, object?> { [nameof(ProblemPage.Error)] = error }) { StatusCode = ProblemPage.StatusOf(error) };
        }
    }
}
