using System.Globalization;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Errors;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Logs;
using Cairn.Dashboard.Sessions;
using Cairn.Storage.Changes;
using Cairn.Storage.Pipelines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Dashboard.Pipelines;

/// <summary>
/// `GET /pipelines/{name}/changes`: Server-Sent Events telling an open pipeline page that executions changed, so
/// `pipeline-live.js` re-renders its live part at once instead of on a clock. The events carry no state (only the change
/// number): the page's own authorized render shows what changed. Changes come from the execution store's change feed
/// (<see cref="IChangeFeed{TStore}"/>: this server's writes at once, another server's on the same database within its
/// promise, a second for SQLite), looked at in memory every <see cref="Look"/>; a backend without a feed sends a
/// change every <see cref="FallbackInterval"/> (the page then refreshes as it did before the feed).
/// </summary>
public static class PipelineChangesEndpoint
{
    public static readonly TimeSpan Look = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan FallbackInterval = TimeSpan.FromSeconds(5);

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/pipelines/{name}/changes", ChangesAsync).WithMetadata(DashboardEndpoint.SignedIn);

    private static async Task ChangesAsync(string name, HttpContext http, DashboardUser user, PipelineExecutionService executions, IServiceProvider services)
    {
        var cancellationToken = http.RequestAborted;
        try
        {
            // Authorized as the page's live part is: codepipeline:GetPipelineState on the pipeline (a missing one is 404).
            await executions.GetStateAsync(user.Context, name, cancellationToken);
        }
        catch (AwsException error)
        {
            await BuildLogEndpoints.ProblemAsync(http, error);
            return;
        }

        var feed = services.GetService<IChangeFeed<IPipelineExecutionStore>>();
        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await response.WriteAsync("retry: 2000\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            var seen = feed is null ? 0 : await feed.CurrentAsync(cancellationToken);
            var interval = feed is null ? FallbackInterval : Look;
            while (true)
            {
                await Task.Delay(interval, cancellationToken);
                var now = feed is null ? seen + 1 : await feed.CurrentAsync(cancellationToken);
                if (now != seen)
                {
                    seen = now;
                    await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"event: change\ndata: {now}\n\n"), cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The tab went away.
        }
    }
}
