using System.Text;
using Cairn.Application.Builds.Logs;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Services.CodeBuild.Logs;

/// <summary>
/// <c>GET /_cairn/builds/&lt;build id&gt;/log[?follow=true&amp;from=N]</c>: a build's log as plain text from line N, with
/// lines as they are written when following, until the build is complete. Signed with SigV4 and audited like every API
/// call (<see cref="RequestPipeline"/>), and authorized as <c>logs:GetLogEvents</c> on the build's log stream (<see cref="BuildLogService"/>), so
/// whoever may read the log through CloudWatch Logs may follow it. <c>X-Cairn-Build-Status</c> is the status when the
/// response started; clients ask BatchGetBuilds for the end status.
/// </summary>
internal sealed class BuildLogEndpoint(RequestPipeline pipeline, BuildLogService buildLogs, IBuildStore store, IBuildLogStore logs)
{
    public const string PathPrefix = "/_cairn/builds/";
    public const string Operation = "cairn:FollowBuildLog";
    private const string Action = BuildLogService.ReadAction;
    private const int PageSize = 1000;

    /// <summary>How often a follower looks whether the build ended (a build can end without writing a log).</summary>
    private static readonly TimeSpan StatusPoll = TimeSpan.FromSeconds(1);

    /// <summary>A complete log's build is stored complete right after; how long to wait for that, and how often to look.</summary>
    private static readonly TimeSpan EndWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan EndPoll = TimeSpan.FromMilliseconds(20);

    public static bool Matches(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.Path.StartsWithSegments("/_cairn/builds", StringComparison.Ordinal)
        && request.Path.Value!.EndsWith("/log", StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var started = pipeline.Start();
        var requestId = RequestIds.Next();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        RequestContext? context = null;
        string? errorCode = null;
        try
        {
            var auth = await pipeline.AuthenticateAsync(RequestPipeline.Capture(http, ReadOnlyMemory<byte>.Empty), cancellationToken);
            Aws.SigV4.CredentialScope.Check(auth, "logs", AwsProtocol.Json);
            context = pipeline.ContextOf(http, auth, requestId);
            var id = Uri.UnescapeDataString(http.Request.Path.Value![PathPrefix.Length..^"/log".Length]);
            var build = (await buildLogs.OpenAsync(context, id, cancellationToken)).Build;

            var follow = http.Request.Query["follow"] is { Count: > 0 } f && f[0] is "true" or "1";
            var from = long.TryParse(http.Request.Query["from"], out var start) && start > 0 ? start : 0;
            await StreamAsync(http, build, follow, from, cancellationToken);
        }
        catch (AwsException error)
        {
            errorCode = error.Code;
            if (!http.Response.HasStarted)
            {
                http.Response.StatusCode = error.IsAccessDenied ? 403 : error.Code == "ResourceNotFoundException" ? 404 : error.HttpStatus;
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync($"{error.Code}: {error.Message}\n", CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The reader went away.
        }
        finally
        {
            pipeline.Finish(http, requestId, context, Operation, Action, errorCode, started);
        }
    }

    private async Task StreamAsync(HttpContext http, BuildRecord build, bool follow, long from, CancellationToken cancellationToken)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers["X-Cairn-Build-Status"] = build.Status;
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.StartAsync(cancellationToken);
        var next = from;
        if (follow && !build.IsComplete)
        {
            next = await FollowAsync(http.Response, build.Uuid, next, cancellationToken);
        }

        // The log of a build seen complete is complete: the rest of it, a page at a time.
        while ((await logs.ReadAsync(build.Uuid, new BuildLogRange { From = next, Limit = PageSize }, cancellationToken)).Events is { Count: > 0 } events)
        {
            next = await WriteAsync(http.Response, events, cancellationToken);
        }
    }

    /// <summary>Writes lines as they are appended until the build ends; returns the index after the last line written.</summary>
    private async Task<long> FollowAsync(HttpResponse response, string uuid, long next, CancellationToken cancellationToken)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = WatchAsync(uuid, ended, StatusPoll, TimeSpan.MaxValue);
        try
        {
            await foreach (var page in logs.FollowAsync(uuid, next, ended.Token))
            {
                next = await WriteAsync(response, page.Events, cancellationToken);
            }

            // The log is complete; the build is stored complete right after it.
            await WatchAsync(uuid, ended, EndPoll, EndWait);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The build ended.
        }
        finally
        {
            await ended.CancelAsync();
            await watcher;
        }

        return next;
    }

    /// <summary>Looks every <paramref name="interval"/> (for at most <paramref name="limit"/>) whether the build ended, and cancels <paramref name="ended"/> when it did.</summary>
    private async Task WatchAsync(string uuid, CancellationTokenSource ended, TimeSpan interval, TimeSpan limit)
    {
        var waited = TimeSpan.Zero;
        try
        {
            while (waited < limit)
            {
                if ((await store.FindBuildAsync(uuid, ended.Token))?.IsComplete ?? true)
                {
                    await ended.CancelAsync();
                    return;
                }

                await Task.Delay(interval, ended.Token);
                waited += interval;
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // Following ended first.
        }
    }

    private static async Task<long> WriteAsync(HttpResponse response, IReadOnlyList<BuildLogEvent> events, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var e in events)
        {
            text.Append(e.Message);
        }

        await response.WriteAsync(text.ToString(), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        return events[^1].Index + 1;
    }
}
