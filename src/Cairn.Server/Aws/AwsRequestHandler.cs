using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws.SigV4;
using Cairn.Server.Hosting;
using Cairn.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Aws;

/// <summary>
/// Every AWS API request goes through here: read the body (bounded), pick the protocol, authenticate (SigV4), dispatch
/// to the service, and write the result or the AWS error in that protocol's shape. Authentication, the request's
/// context, audit and the access log are <see cref="RequestPipeline"/>'s, shared with Cairn's own endpoints.
/// </summary>
internal sealed partial class AwsRequestHandler
{
    private readonly Dictionary<string, IJsonService> _jsonServices;
    private readonly Dictionary<string, IQueryService> _queryServices;
    private readonly Dictionary<string, HashSet<string>> _jsonOperations;
    private readonly List<string> _served;
    private readonly RequestPipeline _pipeline;
    private readonly CairnServerOptions _options;
    private readonly ILogger<AwsRequestHandler> _logger;

    public AwsRequestHandler(
        IEnumerable<IJsonService> jsonServices,
        IEnumerable<IQueryService> queryServices,
        RequestPipeline pipeline,
        CairnServerOptions options,
        ILogger<AwsRequestHandler> logger)
    {
        _jsonServices = jsonServices.ToDictionary(s => s.TargetPrefix, StringComparer.Ordinal);
        _queryServices = queryServices.ToDictionary(s => s.SigningName, StringComparer.Ordinal);
        _jsonOperations = _jsonServices.ToDictionary(s => s.Key, s => s.Value.Operations.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        // The AWS services a user can name to the aws CLI; Cairn's own APIs (signed for "cairn") are reached through `cairn`.
        _served = [.. _jsonServices.Values.Where(s => s.SigningName != "cairn").Select(s => ServiceName(s.TargetPrefix))
            .Concat(_queryServices.Keys).Order(StringComparer.Ordinal)];
        _pipeline = pipeline;
        _options = options;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var started = _pipeline.Start();
        var requestId = RequestIds.Next();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var isJson = target.Length > 0;
        string? queryNamespace = null;
        var audited = new AuditedRequest();
        string? errorCode = null;
        try
        {
            var body = await ReadBodyAsync(http.Request, _options, cancellationToken);
            var request = RequestPipeline.Capture(http, body);

            if (isJson)
            {
                await HandleJsonAsync(http, request, target, requestId, audited, cancellationToken);
            }
            else
            {
                var form = ParseForm(request);
                form.TryGetValue("Action", out var action);
                var unsigned = IsSigned(request) ? null : _queryServices.Values.FirstOrDefault(s => action is not null && s.UnsignedOperations.Contains(action));
                var auth = unsigned is not null ? Unsigned(unsigned.SigningName) : await _pipeline.AuthenticateAsync(request, cancellationToken);
                _queryServices.TryGetValue(auth.Service, out var service);
                if (service is null || (action is not null && !service.Operations.Contains(action)))
                {
                    // One port serves every Query service, so the scope picks it; a wrong scope is named after the service that has the action.
                    var owner = _queryServices.Values.FirstOrDefault(s => action is not null && s.Operations.Contains(action));
                    if (owner is not null)
                    {
                        throw AwsErrors.CredentialScopeService(AwsProtocol.Query, owner.SigningName);
                    }

                    if (service is null)
                    {
                        // XML without a namespace: the shape Query and REST-XML clients (S3's ListBuckets) both read a message from.
                        queryNamespace = string.Empty;
                        var asked = action is { Length: > 0 } ? action : $"{request.Method} {request.RawPath}";
                        throw AwsErrors.UnknownService(auth.Service, asked, _served);
                    }
                }

                queryNamespace = service.XmlNamespace;
                CredentialScope.Check(auth, service.SigningName, AwsProtocol.Query);
                if (action is null || action.Length == 0)
                {
                    throw AwsErrors.MissingAction();
                }

                var context = _pipeline.ContextOf(http, auth, requestId);
                audited.Context = context;
                audited.Operation = $"{auth.Service}:{action}";
                var result = await service.InvokeAsync(action, form, context, cancellationToken);
                await AwsProtocolWriter.WriteQueryAsync(http.Response, action, service.XmlNamespace, result, requestId, cancellationToken);
            }
        }
        catch (AwsException error)
        {
            errorCode = error.Code;
            await WriteErrorAsync(http, isJson, queryNamespace, error, requestId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception error) when (DatabaseOutage.Of(error) is { } outage)
        {
            LogDatabaseUnavailable(_logger, outage.Message, requestId);
            errorCode = "ServiceUnavailable";
            await WriteErrorAsync(http, isJson, queryNamespace, AwsErrors.DatabaseUnavailable(outage.Message.TrimEnd('.')), requestId, cancellationToken);
        }
        catch (Exception error)
        {
            LogUnhandled(_logger, error, requestId);
            errorCode = "InternalServerError";
            await WriteErrorAsync(http, isJson, queryNamespace, AwsErrors.Internal(), requestId, cancellationToken);
        }
        finally
        {
            _pipeline.Finish(http, requestId, audited.Context, audited.Operation, null, errorCode, started);
        }
    }

    /// <summary>A request with no signature at all (neither the Authorization header nor a presigned URL's X-Amz-Signature).</summary>
    private static bool IsSigned(AwsHttpRequest request) =>
        request.Header("Authorization") is not null || request.RawQuery.Contains("X-Amz-Signature=", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// An unsigned call of an operation AWS serves without a signature (AssumeRoleWithWebIdentity): a principal that stands
    /// for the anonymous caller, in the server's account and default region, for the audit log; the operation authorizes nothing with it.
    /// </summary>
    private AuthenticatedRequest Unsigned(string service) => new(
        new SigningCredential(string.Empty, string.Empty,
            new Principal(PrincipalKind.Service, _options.AccountId, "WebIdentityUser", "WebIdentityUser", "WebIdentityUser")),
        _options.DefaultRegion, service);

    /// <summary>What the audit log needs to know of a request once it is authenticated.</summary>
    private sealed class AuditedRequest
    {
        public RequestContext? Context { get; set; }

        public string? Operation { get; set; }
    }

    private async Task HandleJsonAsync(HttpContext http, AwsHttpRequest request, string target, string requestId, AuditedRequest audited, CancellationToken cancellationToken)
    {
        // Authenticate first, as AWS does: an unsigned or badly signed request learns nothing about which targets exist.
        var auth = await _pipeline.AuthenticateAsync(request, cancellationToken);
        var dot = target.LastIndexOf('.');
        if (dot <= 0 || !_jsonServices.TryGetValue(target[..dot], out var service))
        {
            throw AwsErrors.UnknownService(auth.Service, dot <= 0 ? target : target[(dot + 1)..], _served);
        }

        var context = _pipeline.ContextOf(http, auth, requestId);
        audited.Context = context;
        audited.Operation = $"{auth.Service}:{target[(dot + 1)..]}";
        if (!_jsonOperations[target[..dot]].Contains(target[(dot + 1)..]))
        {
            throw AwsErrors.UnknownOperation(ServiceName(target[..dot]), target[(dot + 1)..], service.Operations);
        }

        CredentialScope.Check(auth, service.SigningName, AwsProtocol.Json);
        var input = ParseJson(request.Body);
        var output = await service.InvokeAsync(target[(dot + 1)..], input, context, cancellationToken);
        foreach (var warning in context.Warnings.All)
        {
            http.Response.Headers.Append(RequestWarnings.Header, RequestWarnings.HeaderValue(warning));
        }

        await AwsProtocolWriter.WriteJsonAsync(http.Response, output, cancellationToken);
    }

    /// <summary>The SigV4 name of a JSON service, as the aws CLI names it (ssm, kms, codebuild, logs).</summary>
    private static string ServiceName(string targetPrefix) => targetPrefix switch
    {
        "AmazonSSM" => "ssm",
        "TrentService" => "kms",
        "CodeBuild_20161006" => "codebuild",
        "Logs_20140328" => "logs",
        "CodePipeline_20150709" => "codepipeline",
        "com.amazonaws.codestar.connections.CodeStar_connections_20191201" => "codestar-connections",
        "com.amazonaws.codeconnections.CodeConnections_20231201" => "codeconnections",
        _ => targetPrefix,
    };

    private static JsonObject ParseJson(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return new JsonObject();
        }

        // Checked here, not left to the first read of a member deep inside a service, where it would be a 500.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            throw AwsErrors.SerializationInvalidUtf8();
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw AwsErrors.Serialization("Start of structure or map found where not expected.");
            }

            CheckMembers(document.RootElement);
            return JsonObject.Create(document.RootElement.Clone())!;
        }
        catch (JsonException)
        {
            throw AwsErrors.Serialization("Unexpected character found in the request body; it is not valid JSON.");
        }
    }

    /// <summary>Every object's keys are distinct and every string is valid Unicode (no lone surrogate escape such as \ud800).</summary>
    private static void CheckMembers(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!seen.Add(Text(() => property.Name)))
                    {
                        throw AwsErrors.SerializationDuplicateKey(property.Name);
                    }

                    CheckMembers(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CheckMembers(item);
                }

                break;
            case JsonValueKind.String:
                Text(element.GetString);
                break;
        }

        static string Text(Func<string?> read)
        {
            try
            {
                return read() ?? string.Empty;
            }
            catch (InvalidOperationException)
            {
                throw AwsErrors.SerializationInvalidString();
            }
        }
    }

    private static Dictionary<string, string> ParseForm(AwsHttpRequest request)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string encoded)
        {
            foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
                var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
                result[key] = value;
            }
        }

        Add(request.RawQuery);
        Add(System.Text.Encoding.UTF8.GetString(request.Body.Span));
        return result;
    }

    /// <summary>Reads the whole body within the options' size and time limits; a client too slow gets 408 RequestTimeout, not a 500.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CairnServerOptions options, CancellationToken cancellationToken)
    {
        var limit = options.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            throw AwsErrors.RequestTooLarge(limit);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestBodyTimeout);
        try
        {
            return await ReadBodyAsync(request, limit, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw AwsErrors.RequestTimeout(options.RequestBodyMinimumRate, options.RequestBodyTimeout);
        }
        catch (BadHttpRequestException error)
        {
            // Kestrel's own limits: the minimum data rate (408), a malformed chunked body (400).
            throw error.StatusCode == StatusCodes.Status408RequestTimeout ? AwsErrors.RequestTimeout(options.RequestBodyMinimumRate, options.RequestBodyTimeout) : AwsErrors.MalformedBody();
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {

        // The usual case: a declared length, read straight into an array of that size.
        if (request.ContentLength is { } length)
        {
            var exact = new byte[length];
            var filled = 0;
            int n;
            while (filled < exact.Length && (n = await request.Body.ReadAsync(exact.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += n;
            }

            return exact.AsMemory(0, filled);
        }

        using var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw AwsErrors.RequestTooLarge(limit);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private Task WriteErrorAsync(HttpContext http, bool isJson, string? queryNamespace, AwsException error, string requestId, CancellationToken cancellationToken)
    {
        if (http.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        return isJson || (queryNamespace is null && !IsForm(http.Request))
            ? AwsProtocolWriter.WriteJsonErrorAsync(http.Response, error, cancellationToken)
            : AwsProtocolWriter.WriteQueryErrorAsync(http.Response, queryNamespace ?? "https://iam.amazonaws.com/doc/2010-05-08/", error, requestId, cancellationToken);
    }

    private static bool IsForm(HttpRequest request) =>
        request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
        || request.Query.ContainsKey("Action");

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "The database is unavailable for request {RequestId}: {Reason}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string reason, string requestId);

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled error in request {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, Exception error, string requestId);
}
