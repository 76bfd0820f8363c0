using System.Text;
using Cairn.Core.Audit;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Storage.Builds;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Services.CodeBuild.Logs;

/// <summary>
/// <c>GET /_cairn/builds/&lt;build id&gt;/log[?follow=true&amp;from=N]</c>: a build's log as plain text, lines as they are
/// written when following, until the build is complete. Signed with SigV4 like every API call and authorized as
/// <c>logs:GetLogEvents</c> on the build's log stream, so whoever may read the log through CloudWatch Logs may follow it.
/// <c>X-Cairn-Build-Status</c> is the status when the response started; clients ask BatchGetBuilds for the end status.
/// </summary>
internal sealed class BuildLogEndpoint(
    IRequestAuthenticator authenticator,
    IAuthorizer authorizer,
    IBuildStore store,
    BuildLogStore logs,
    IAuditLog audit,
    TimeProvider time)
{
    public const string PathPrefix = "/_cairn/builds/";
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static bool Matches(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.Path.StartsWithSegments("/_cairn/builds", StringComparison.Ordinal)
        && request.Path.Value!.EndsWith("/log", StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var rawPath = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget?.Split('?')[0] ?? http.Request.Path.Value!;
        var request = new AwsHttpRequest(
            http.Request.Method,
            rawPath,
            http.Request.QueryString.HasValue ? http.Request.QueryString.Value![1..] : string.Empty,
            http.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty))).ToList(),
            ReadOnlyMemory<byte>.Empty);

        RequestContext? context = null;
        string? errorCode = null;
        try
        {
            var auth = await authenticator.AuthenticateAsync(request, time.GetUtcNow(), cancellationToken);
            Aws.SigV4.CredentialScope.Check(auth, "logs", AwsProtocol.Json);
            context = new RequestContext(auth.Credential.Principal, auth.Region, Guid.NewGuid().ToString(),
                http.Connection.RemoteIpAddress?.ToString(), time.GetUtcNow(), auth.Credential.AccessKeyId);
            var id = Uri.UnescapeDataString(http.Request.Path.Value![PathPrefix.Length..^"/log".Length]);
            var colon = id.LastIndexOf(':');
            if (colon <= 0 || !Guid.TryParseExact(id[(colon + 1)..], "D", out _))
            {
                throw AwsErrors.InvalidBuildId(id);
            }

            var scope = new BuildScope(context.AccountId, context.Region);
            var (project, uuid) = (id[..colon], id[(colon + 1)..]);
            await authorizer.AuthorizeAsync(context, "logs:GetLogEvents", scope.LogStreamArn(BuildScope.LogGroupName(project), uuid), cancellationToken);
            var build = await store.GetBuildAsync(scope, uuid, cancellationToken);
            if (build is null || build.ProjectName != project)
            {
                throw AwsErrors.BuildNotFound(id);
            }

            var follow = http.Request.Query["follow"] is { Count: > 0 } f && f[0] is "true" or "1";
            var from = long.TryParse(http.Request.Query["from"], out var start) && start > 0 ? start : 0;
            await StreamAsync(http, build, follow, from, cancellationToken);
        }
        catch (AwsException error)
        {
            errorCode = error.Code;
            if (!http.Response.HasStarted)
            {
                http.Response.StatusCode = error.Code switch
                {
                    "ResourceNotFoundException" => 404,
                    "AccessDeniedException" or "AccessDenied" => 403,
                    _ => error.HttpStatus,
                };
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
            if (context is not null)
            {
                Audit(context, errorCode);
            }
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
        while (true)
        {
            // Read the state before the log: a build seen complete has written all of its log.
            var complete = (await store.FindBuildAsync(build.Uuid, cancellationToken))?.IsComplete ?? true;
            var events = logs.Read(build.Uuid, next);
            if (events.Count > 0)
            {
                var text = new StringBuilder();
                foreach (var e in events)
                {
                    text.Append(e.Message);
                }

                await http.Response.WriteAsync(text.ToString(), cancellationToken);
                await http.Response.Body.FlushAsync(cancellationToken);
                next = events[^1].Index + 1;
            }

            if (!follow || complete)
            {
                return;
            }

            await logs.WaitForChangeAsync(build.Uuid, PollInterval, cancellationToken);
        }
    }

    private void Audit(RequestContext context, string? errorCode)
    {
        var decisions = context.Audit.Decisions;
        var entries = decisions.Count == 0
            ? [Entry("logs:GetLogEvents", null, "None")]
            : decisions.Select(d => Entry(d.Action, d.Resource, d.Allowed ? "Allow" : "Deny")).ToList();
        audit.Append(entries);

        AuditEntry Entry(string action, string? resource, string decision) => new(
            context.Time, context.RequestId, context.Principal.Arn, context.AccessKeyId, context.Region,
            "cairn:FollowBuildLog", action, resource, decision, errorCode, context.SourceIp);
    }
}
