using System.Diagnostics;
using Cairn.Core.Audit;
using Cairn.Core.Identity;
using Cairn.Server.Aws.SigV4;
using Cairn.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Aws;

/// <summary>
/// The steps every signed HTTP surface of Cairn takes, in order: capture the request as SigV4 signed it, authenticate
/// it, make its <see cref="RequestContext"/> (what is then done is authorized against it with IAuthorizer), and finish
/// it with one audit entry per authorization decision and the access log line. The AWS API (<see cref="AwsRequestHandler"/>),
/// the build log endpoint and the build role endpoint all go through it; nothing here allocates beyond the request's own objects.
/// </summary>
internal sealed partial class RequestPipeline
{
    private readonly IRequestAuthenticator _authenticator;
    private readonly TimeProvider _time;
    private readonly IAuditLog _audit;
    private readonly ILogger? _accessLog;

    public RequestPipeline(IRequestAuthenticator authenticator, CairnServerOptions options, TimeProvider time, IAuditLog audit, ILoggerFactory loggers)
    {
        _authenticator = authenticator;
        _time = time;
        _audit = audit;
        _accessLog = options.AccessLog ? loggers.CreateLogger("Cairn.Access") : null;
    }

    /// <summary>When the request started, for the access log (0 when it is off).</summary>
    public long Start() => _accessLog is null ? 0 : Stopwatch.GetTimestamp();

    /// <summary>The request as it arrived: the raw (still percent-encoded) path and query, the headers in order, the body.</summary>
    public static AwsHttpRequest Capture(HttpContext http, ReadOnlyMemory<byte> body) => new(
        http.Request.Method,
        http.Request.Path.HasValue ? (http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value!).Split('?')[0] : "/",
        http.Request.QueryString.HasValue ? http.Request.QueryString.Value![1..] : string.Empty,
        HeaderList(http.Request.Headers),
        body);

    /// <summary>Checks the signature; throws the AWS auth error when it fails.</summary>
    public ValueTask<AuthenticatedRequest> AuthenticateAsync(AwsHttpRequest request, CancellationToken cancellationToken) =>
        _authenticator.AuthenticateAsync(request, _time.GetUtcNow(), cancellationToken);

    /// <summary>The context an authenticated request is authorized and audited with.</summary>
    public RequestContext ContextOf(HttpContext http, AuthenticatedRequest auth, string requestId) =>
        new(auth.Credential.Principal, auth.Region, requestId, http.Connection.RemoteIpAddress?.ToString(), _time.GetUtcNow(), auth.Credential.AccessKeyId);

    /// <summary>
    /// Audits an authenticated request (<paramref name="context"/> null: it never got that far) as <paramref name="operation"/>:
    /// one entry per authorization decision, or one for <paramref name="action"/> when it made none; then the access log line.
    /// </summary>
    public void Finish(HttpContext http, string requestId, RequestContext? context, string? operation, string? action, string? errorCode, long started)
    {
        if (context is not null && operation is not null)
        {
            _audit.Record(context, operation, errorCode, action: action);
        }

        if (_accessLog is not null)
        {
            var target = http.Request.Headers["X-Amz-Target"].ToString();
            LogAccess(_accessLog, http.Connection.RemoteIpAddress?.ToString() ?? "-", context?.Principal.Arn ?? "-",
                operation ?? (target.Length > 0 ? target : $"{http.Request.Method} {http.Request.Path}"), http.Response.StatusCode,
                errorCode ?? "-", (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, requestId);
        }
    }

    private static List<KeyValuePair<string, string>> HeaderList(IHeaderDictionary headers)
    {
        var list = new List<KeyValuePair<string, string>>(headers.Count + 2);
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                list.Add(new KeyValuePair<string, string>(name, value ?? string.Empty));
            }
        }

        return list;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Client} {Principal} {Operation} {Status} {ErrorCode} {Milliseconds}ms {RequestId}")]
    private static partial void LogAccess(ILogger logger, string client, string principal, string operation, int status, string errorCode, long milliseconds, string requestId);
}
