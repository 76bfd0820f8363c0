using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cairn.Runner.Agents;

/// <summary>An agent's calls to its server (<see cref="AgentProtocol"/>), with the agent's id and secret on each.</summary>
public sealed class AgentClient(HttpClient http, Uri server, string agentId, string agentSecret)
{
    public string AgentId => agentId;

    public Uri Server => server;

    /// <summary>Exchanges a registration token for an agent id and secret.</summary>
    public static async Task<AgentRegistration> RegisterAsync(HttpClient http, Uri server, AgentRegistrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.PostAsJsonAsync(new Uri(server, AgentProtocol.RegisterPath), request, AgentProtocol.Json, cancellationToken);
        return await ReadAsync<AgentRegistration>(response, cancellationToken) ?? throw new AgentRequestException("MalformedResponse", "registration returned nothing", 200);
    }

    /// <summary>The next build for this agent, or null when the server's long-poll ended without one.</summary>
    public Task<AgentAssignment?> ClaimAsync(CancellationToken cancellationToken) => PostAsync<object, AgentAssignment>(AgentProtocol.ClaimPath, new { }, cancellationToken);

    public async Task SendLogAsync(string uuid, AgentLogChunk chunk, CancellationToken cancellationToken) =>
        await PostAsync<AgentLogChunk, JsonElement>(AgentProtocol.BuildsPath + uuid + "/log", chunk, cancellationToken);

    public async Task<AgentHeartbeatAnswer> HeartbeatAsync(string uuid, AgentHeartbeat heartbeat, CancellationToken cancellationToken) =>
        await PostAsync<AgentHeartbeat, AgentHeartbeatAnswer>(AgentProtocol.BuildsPath + uuid + "/heartbeat", heartbeat, cancellationToken)
        ?? new AgentHeartbeatAnswer(false);

    public async Task CompleteAsync(string uuid, AgentCompletion completion, CancellationToken cancellationToken) =>
        await PostAsync<AgentCompletion, JsonElement>(AgentProtocol.BuildsPath + uuid + "/complete", completion, cancellationToken);

    private async Task<TResult?> PostAsync<TBody, TResult>(string path, TBody body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path)) { Content = JsonContent.Create(body, options: AgentProtocol.Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue(AgentProtocol.AuthorizationScheme, $"{agentId}:{agentSecret}");
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync<TResult>(response, cancellationToken);
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return default;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            AgentError? error = null;
            try
            {
                error = JsonSerializer.Deserialize<AgentError>(text, AgentProtocol.Json);
            }
            catch (JsonException)
            {
                // Not the server's JSON error (a proxy's page): reported as the HTTP status and text.
            }

            throw new AgentRequestException(error?.Code ?? $"HTTP{(int)response.StatusCode}", error?.Message ?? text, (int)response.StatusCode);
        }

        return JsonSerializer.Deserialize<T>(text, AgentProtocol.Json);
    }
}
