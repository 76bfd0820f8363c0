using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Agents;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Runner.Agents;
using Cairn.Server.Aws;
using Cairn.Storage.Builds;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cairn.Server.Services.CodeBuild.Agents;

/// <summary>
/// <c>/_cairn/agents/*</c>, the build agents' HTTP protocol (<see cref="AgentProtocol"/>). <c>admin</c> takes SigV4-signed
/// JSON calls (X-Amz-Target CairnAgents.CreateRegistrationToken, ListAgents, RevokeAgent) authorized by IAM and audited as
/// every API call; <c>register</c> takes a registration token; <c>claim</c> and <c>builds/&lt;uuid&gt;/{log,heartbeat,complete}</c>
/// take the agent's id and secret (<c>Authorization: CairnAgent id:secret</c>). Every operation goes through
/// <see cref="BuildAgentService"/>; errors answer as <see cref="AgentError"/> JSON with the AwsException's status.
/// </summary>
internal sealed class AgentEndpoint(RequestPipeline pipeline, BuildAgentService agents, CodeBuildOptions options)
{
    public static bool Matches(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments(AgentProtocol.PathPrefix, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        if (path == AgentProtocol.AdminPath)
        {
            await AdminAsync(http);
            return;
        }

        var cancellationToken = http.RequestAborted;
        try
        {
            if (path == AgentProtocol.RegisterPath)
            {
                var request = await ReadAsync<AgentRegistrationRequest>(http);
                await WriteAsync(http, 200, await agents.RegisterAsync(request, cancellationToken));
                return;
            }

            var agent = await AuthenticateAsync(http);
            if (path == AgentProtocol.ClaimPath)
            {
                var assignment = await agents.ClaimAsync(agent, options.AgentClaimHold, cancellationToken);
                if (assignment is null)
                {
                    http.Response.StatusCode = StatusCodes.Status204NoContent;
                    return;
                }

                await WriteAsync(http, 200, assignment);
                return;
            }

            var rest = path.StartsWith(AgentProtocol.BuildsPath, StringComparison.Ordinal) ? path[AgentProtocol.BuildsPath.Length..].Split('/') : [];
            switch (rest)
            {
                case [var uuid, "log"]:
                    var next = await agents.AppendLogAsync(agent, uuid, await ReadAsync<AgentLogChunk>(http), cancellationToken);
                    await WriteAsync(http, 200, new { next });
                    return;
                case [var uuid, "heartbeat"]:
                    await WriteAsync(http, 200, await agents.HeartbeatAsync(agent, uuid, await ReadAsync<AgentHeartbeat>(http), cancellationToken));
                    return;
                case [var uuid, "input"]:
                    var input = await ReadAsync<AgentInputRequest>(http);
                    http.Response.ContentType = AgentProtocol.ArchiveMediaType;
                    // The lease and the artifact are checked before the first byte goes out: a refusal still answers as JSON.
                    await agents.WriteInputAsync(agent, uuid, input, http.Response.Body, cancellationToken);
                    return;
                case [var uuid, "artifacts"]:
                    if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                    {
                        limit.MaxRequestBodySize = options.AgentMaxArtifactBytes;
                    }

                    int files;
                    try
                    {
                        files = await agents.ReceiveArtifactsAsync(agent, uuid, http.Request.Headers[AgentProtocol.LeaseHeader].ToString(), http.Request.Body, cancellationToken);
                    }
                    catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
                    {
                        throw new AwsException("ArtifactsTooLarge",
                            $"The artifacts of build {uuid} are over this server's limit of {options.AgentMaxArtifactBytes >> 20} MiB as a gzipped tar; narrow the buildspec's artifacts files.", 413);
                    }

                    await WriteAsync(http, 200, new { files });
                    return;
                case [var uuid, "complete"]:
                    var completed = await agents.CompleteAsync(agent, uuid, await ReadAsync<AgentCompletion>(http), cancellationToken);
                    await WriteAsync(http, 200, new { status = completed.Status });
                    return;
                default:
                    throw new AwsException("UnknownOperation", $"{path} is not a build agent operation; update the agent to this server's version.", 404);
            }
        }
        catch (AwsException error)
        {
            await WriteAsync(http, error.HttpStatus, new AgentError(error.Code, error.Message));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The agent hung up during a long-poll.
        }
    }

    private async Task<BuildAgent> AuthenticateAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var prefix = AgentProtocol.AuthorizationScheme + " ";
        var credentials = header.StartsWith(prefix, StringComparison.Ordinal) ? header[prefix.Length..].Split(':', 2) : [];
        if (credentials is not [var id, var secret])
        {
            throw new AwsException("MissingAgentCredentials", $"Agent calls carry 'Authorization: {AgentProtocol.AuthorizationScheme} <agent id>:<agent secret>' from registration.", 401);
        }

        return await agents.AuthenticateAsync(id, secret, http.RequestAborted);
    }

    private async Task AdminAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var started = pipeline.Start();
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, cancellationToken);
        var bytes = body.ToArray();
        var requestId = RequestIds.Next();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith(AgentProtocol.AdminTargetPrefix, StringComparison.Ordinal) ? target[AgentProtocol.AdminTargetPrefix.Length..] : target;
        RequestContext? context = null;
        string? errorCode = null;
        try
        {
            var auth = await pipeline.AuthenticateAsync(RequestPipeline.Capture(http, bytes), cancellationToken);
            context = pipeline.ContextOf(http, auth, requestId);
            var input = bytes.Length == 0 ? [] : JsonNode.Parse(bytes) as JsonObject ?? throw AwsErrors.Serialization("The request body is not a JSON object.");
            JsonObject answer;
            switch (operation)
            {
                case "CreateRegistrationToken":
                    answer = new JsonObject { ["token"] = await agents.CreateRegistrationTokenAsync(context, cancellationToken) };
                    break;
                case "ListAgents":
                    var list = await agents.ListAgentsAsync(context, cancellationToken);
                    answer = new JsonObject
                    {
                        ["agents"] = new JsonArray([.. list.Select(a => (JsonNode)new JsonObject
                        {
                            ["id"] = a.Id, ["name"] = a.Name, ["labels"] = new JsonArray([.. a.Labels.Select(l => (JsonNode)l)]),
                            ["createdAt"] = a.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                            ["revokedAt"] = a.RevokedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                        })]),
                    };
                    break;
                case "RevokeAgent":
                    var agentId = (string?)input["agentId"] is { Length: > 0 } given ? given : throw AwsErrors.Validation("RevokeAgent needs agentId: the id `cairn agents list` shows.");
                    await agents.RevokeAgentAsync(context, agentId, cancellationToken);
                    answer = [];
                    break;
                default:
                    throw new AwsException("UnknownOperationException",
                        $"X-Amz-Target {target} is not a build agent operation; use CairnAgents.CreateRegistrationToken, CairnAgents.ListAgents or CairnAgents.RevokeAgent.");
            }

            await AwsProtocolWriter.WriteJsonAsync(http.Response, answer, cancellationToken);
        }
        catch (JsonException)
        {
            errorCode = "SerializationException";
            await AwsProtocolWriter.WriteJsonErrorAsync(http.Response, AwsErrors.Serialization("The request body is not valid JSON."), CancellationToken.None);
        }
        catch (AwsException error)
        {
            errorCode = error.Code;
            await AwsProtocolWriter.WriteJsonErrorAsync(http.Response, error, CancellationToken.None);
        }
        finally
        {
            pipeline.Finish(http, requestId, context, "cairn:" + operation, null, errorCode, started);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpContext http)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, AgentProtocol.Json, http.RequestAborted)
                ?? throw new AwsException("SerializationException", $"The request body must be a {typeof(T).Name} JSON object.");
        }
        catch (JsonException error)
        {
            throw new AwsException("SerializationException", $"The request body is not a valid {typeof(T).Name}: {error.Message}");
        }
    }

    private static async Task WriteAsync<T>(HttpContext http, int status, T body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, body, AgentProtocol.Json, CancellationToken.None);
    }
}
