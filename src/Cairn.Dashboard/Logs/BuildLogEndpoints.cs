using System.Globalization;
using System.Text;
using System.Text.Json;
using Cairn.Application.Builds.Logs;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Dashboard.Components.Pages;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Sessions;
using Cairn.Runner.Builds;
using Cairn.Storage.BuildLogs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Dashboard.Logs;

/// <summary>
/// The live log's endpoints beside the build page, each authorized as the signed-in principal through
/// <see cref="BuildLogService"/> (logs:GetLogEvents on the build's log stream) and audited by the session middleware:
/// the Server-Sent Events stream, "load earlier" pages, the server-side search, raw text and download.
/// </summary>
internal static class BuildLogEndpoints
{
    /// <summary>How long the end of a stream waits for a complete log's build to be stored complete (it is, right after).</summary>
    private static readonly TimeSpan EndWait = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/builds/{id}/log/events", EventsAsync).WithMetadata(DashboardEndpoint.SignedIn);
        routes.MapGet("/builds/{id}/log/lines", LinesAsync).WithMetadata(DashboardEndpoint.SignedIn);
        routes.MapGet("/builds/{id}/log/search", SearchAsync).WithMetadata(DashboardEndpoint.SignedIn);
        routes.MapGet("/builds/{id}/log/raw", RawAsync).WithMetadata(DashboardEndpoint.SignedIn);
    }

    /// <summary>
    /// Lines as they are written, one event per line whose id is the line's index; a reconnect resumes after
    /// Last-Event-ID (or from ?from=N, the first index wanted). "phases" events carry the sections when the build's
    /// phases change (read when lines arrive, never on a clock); "end" closes the stream when the log is complete.
    /// </summary>
    private static async Task EventsAsync(string id, HttpContext http, DashboardUser user, BuildLogService logs)
    {
        var cancellationToken = http.RequestAborted;
        BuildLog log;
        long from;
        try
        {
            from = FirstWanted(http.Request);
            log = await logs.OpenAsync(user.Context, id, cancellationToken);
        }
        catch (AwsException error)
        {
            await ProblemAsync(http, error);
            return;
        }

        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers["X-Accel-Buffering"] = "no";
        var build = log.Build;
        var phases = Signature(build);
        var text = new StringBuilder();
        try
        {
            text.Append("retry: 2000\n\n");
            await AppendPhasesAsync(text, log, build, cancellationToken);
            await FlushAsync(response, text, cancellationToken);
            // A build already complete whose log never completed (none written, or deleted by retention): what is there, then the end.
            var pages = build.IsComplete ? ReadRestAsync(log, from, cancellationToken) : log.FollowAsync(from, cancellationToken);
            await foreach (var page in pages)
            {
                foreach (var line in page.Events)
                {
                    text.Append(CultureInfo.InvariantCulture, $"id: {line.Index}\ndata: ").Append(JsonSerializer.Serialize(LogLine.Of(line), Json)).Append("\n\n");
                }

                // Woken by lines, not by a clock: one read of the build per page tells whether a phase began or ended.
                build = await log.RefreshAsync(cancellationToken);
                if (Signature(build) is var now && now != phases)
                {
                    phases = now;
                    await AppendPhasesAsync(text, log, build, cancellationToken);
                }

                await FlushAsync(response, text, cancellationToken);
            }

            build = await CompletedAsync(log, cancellationToken);
            await AppendPhasesAsync(text, log, build, cancellationToken);
            text.Append("event: end\ndata: ").Append(JsonSerializer.Serialize(new { status = build.Status }, Json)).Append("\n\n");
            await FlushAsync(response, text, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The tab went away.
        }
    }

    private static async IAsyncEnumerable<BuildLogPage> ReadRestAsync(BuildLog log, long from, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while ((await log.ReadAsync(new BuildLogRange { From = from, Limit = LogWindow.PageLines }, cancellationToken)) is { Events.Count: > 0 } page)
        {
            from = page.Events[^1].Index + 1;
            yield return page;
        }
    }

    /// <summary>Up to 1,000 lines before ?before=N (the first line a page shows), for "load earlier", as JSON.</summary>
    private static async Task<IResult> LinesAsync(string id, HttpContext http, DashboardUser user, BuildLogService logs)
    {
        try
        {
            var before = Position(http.Request, "before") ?? throw AwsErrors.CodeBuildInvalidInput("Missing ?before=N: the index of the first line the page shows; the lines before it are returned.");
            var log = await logs.OpenAsync(user.Context, id, http.RequestAborted);
            var page = await log.ReadAsync(new BuildLogRange { To = before, Limit = LogWindow.PageLines, FromEnd = true }, http.RequestAborted);
            return Results.Json(new { lines = page.Events.Select(LogLine.Of), count = page.Count, complete = page.IsComplete }, Json);
        }
        catch (AwsException error)
        {
            return Problem(error);
        }
    }

    /// <summary>The whole log searched for ?q=: the number of matching lines and the indexes of the first 10,000, as JSON.</summary>
    private static async Task<IResult> SearchAsync(string id, HttpContext http, DashboardUser user, BuildLogService logs)
    {
        try
        {
            var term = LogSearch.Check(http.Request.Query["q"]);
            var log = await logs.OpenAsync(user.Context, id, http.RequestAborted);
            var result = await LogSearch.RunAsync(log, term, LogSearch.KeptMatches, http.RequestAborted);
            return Results.Json(new { count = result.Count, matches = result.Matches }, Json);
        }
        catch (AwsException error)
        {
            return Problem(error);
        }
    }

    /// <summary>The log as plain text, all of it written so far, streamed a page at a time (?download=1: as a file).</summary>
    private static async Task RawAsync(string id, HttpContext http, DashboardUser user, BuildLogService logs)
    {
        var cancellationToken = http.RequestAborted;
        BuildLog log;
        try
        {
            log = await logs.OpenAsync(user.Context, id, cancellationToken);
        }
        catch (AwsException error)
        {
            await ProblemAsync(http, error);
            return;
        }

        http.Response.ContentType = "text/plain; charset=utf-8";
        if (http.Request.Query["download"] is { Count: > 0 } download && download[0] is "1" or "true")
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{log.Build.ProjectName}-{log.Build.Uuid}.log\"";
        }

        long next = 0;
        var text = new StringBuilder();
        try
        {
            while ((await log.ReadAsync(new BuildLogRange { From = next, Limit = LogWindow.PageLines }, cancellationToken)).Events is { Count: > 0 } events)
            {
                foreach (var line in events)
                {
                    text.Append(line.Message);
                }

                next = events[^1].Index + 1;
                await FlushAsync(http.Response, text, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The reader went away.
        }
    }

    /// <summary>The first index the stream sends: after Last-Event-ID when the browser reconnects, else ?from=N, else 0.</summary>
    private static long FirstWanted(HttpRequest request)
    {
        if (request.Headers["Last-Event-ID"] is { Count: > 0 } last)
        {
            return long.TryParse(last[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                ? index + 1
                : throw AwsErrors.CodeBuildInvalidInput($"Invalid Last-Event-ID: {last[0]}. It is the index of the last line received (0 for the first line).");
        }

        return Position(request, "from") ?? 0;
    }

    /// <summary>A line index from the query; InvalidInputException for one that is not a whole number from 0.</summary>
    private static long? Position(HttpRequest request, string name) =>
        request.Query[name] is not { Count: > 0 } value ? null
        : long.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index
        : throw AwsErrors.CodeBuildInvalidInput($"Invalid line position ?{name}={value[0]}: a line index is a whole number from 0 (line 1 is index 0).");

    /// <summary>What tells phases apart: their types, statuses and ends.</summary>
    private static string Signature(BuildRecord build) =>
        string.Join(';', build.Phases.Select(p => $"{p.PhaseType}:{p.PhaseStatus}:{p.EndTime?.ToUnixTimeMilliseconds()}"));

    private static async Task AppendPhasesAsync(StringBuilder text, BuildLog log, BuildRecord build, CancellationToken cancellationToken)
    {
        var count = (await log.DescribeAsync(cancellationToken)).Count;
        var list = await LogSection.OfAsync(log, build, cancellationToken);
        var sections = list.Select((s, i) => new
        {
            phase = s.Phase, status = s.Status ?? (s.Running ? BuildStatuses.InProgress : ""), first = s.First, open = s.Open,
            duration = s.End is { } end ? Components.Shared.Format.Duration(end - s.Start) : "",
            lines = (i + 1 < list.Count ? list[i + 1].First : count) - s.First,
        });
        text.Append("event: phases\ndata: ").Append(JsonSerializer.Serialize(new { status = build.Status, sections }, Json)).Append("\n\n");
    }

    /// <summary>The build once it is stored complete (its log is): briefly, right after the log completes.</summary>
    private static async Task<BuildRecord> CompletedAsync(BuildLog log, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        var build = await log.RefreshAsync(cancellationToken);
        while (!build.IsComplete && waited < EndWait)
        {
            await Task.Delay(50, cancellationToken);
            waited += TimeSpan.FromMilliseconds(50);
            build = await log.RefreshAsync(cancellationToken);
        }

        return build;
    }

    private static async Task FlushAsync(HttpResponse response, StringBuilder text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text.ToString(), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        text.Clear();
    }

    /// <summary>AWS's error as text (the stream and raw text have no page): code, message and, for a denial, the statement that grants it.</summary>
    internal static Task ProblemAsync(HttpContext http, AwsException error)
    {
        http.Response.StatusCode = ProblemPage.StatusOf(error);
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(ProblemText(error), http.RequestAborted);
    }

    private static IResult Problem(AwsException error) =>
        Results.Json(new { code = error.Code, message = error.Message, fix = FixOf(error) }, Json, statusCode: ProblemPage.StatusOf(error));

    private static string ProblemText(AwsException error) =>
        FixOf(error) is { } fix ? $"{error.Code}: {error.Message}\n\n{fix}\n" : $"{error.Code}: {error.Message}\n";

    /// <summary>For a denial, the statement that would grant it and the command that adds it (<see cref="PermissionFix"/>, as the pages show it).</summary>
    private static string? FixOf(AwsException error)
    {
        if (!error.IsAccessDenied || AccessDenial.Parse(error.Message) is not { Action: { } action, Resource: { } resource } denial)
        {
            return null;
        }

        var grant = PermissionFix.Grant(denial.PrincipalArn, action, resource, "cairn-console");
        return $"To allow it, add this statement to the identity policy of {denial.PrincipalArn}:\n{grant.Statement}"
            + (grant.Command is { } command ? $"\n\nFor example, as an administrator:\n{command}" : "");
    }
}
