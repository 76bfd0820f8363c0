using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Core.Archives;

namespace Cairn.Runner.Agents;

/// <summary>
/// An agent's calls to its servers (<see cref="AgentProtocol"/>), with the agent's id and secret on each. With several
/// servers (one PostgreSQL database behind them all), a call that cannot reach the current one — refused, reset, a
/// long-poll cut by the server's death, or a 502/503/504 — goes at once to the next, which becomes the current one:
/// any server can answer any agent call, because claims and leases are in the database.
/// </summary>
public sealed class AgentClient(HttpClient http, IReadOnlyList<Uri> servers, string agentId, string agentSecret)
{
    private int _current;

    public AgentClient(HttpClient http, Uri server, string agentId, string agentSecret)
        : this(http, [server], agentId, agentSecret)
    {
    }

    public string AgentId => agentId;

    /// <summary>Told (as one line) when calls move from a server that cannot be reached to the next.</summary>
    public Action<string>? Say { get; init; }

    /// <summary>The server calls go to now.</summary>
    public Uri Server => servers[Volatile.Read(ref _current)];

    /// <summary>Exchanges a registration token for an agent id and secret.</summary>
    public static Task<AgentRegistration> RegisterAsync(HttpClient http, Uri server, AgentRegistrationRequest request, CancellationToken cancellationToken) =>
        RegisterAsync(http, [server], request, cancellationToken);

    /// <summary>Registers through the first of <paramref name="servers"/> that answers.</summary>
    public static async Task<AgentRegistration> RegisterAsync(HttpClient http, IReadOnlyList<Uri> servers, AgentRegistrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(servers);
        for (var index = 0; ; index++)
        {
            try
            {
                using var response = await http.PostAsJsonAsync(new Uri(servers[index], AgentProtocol.RegisterPath), request, AgentProtocol.Json, cancellationToken);
                if (index < servers.Count - 1 && IsUnavailable(response.StatusCode))
                {
                    continue;
                }

                return await ReadAsync<AgentRegistration>(response, cancellationToken) ?? throw new AgentRequestException("MalformedResponse", "registration returned nothing", 200);
            }
            catch (HttpRequestException) when (index < servers.Count - 1)
            {
                // The next server.
            }
        }
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

    /// <summary>Extracts a pipeline build's input artifact into <paramref name="directory"/> (only inside it: see TarArchives).</summary>
    public Task DownloadInputAsync(string uuid, AgentInputRequest input, string directory, CancellationToken cancellationToken) =>
        SendAsync(AgentProtocol.BuildsPath + uuid + "/input", () => JsonContent.Create(input, options: AgentProtocol.Json), async response =>
        {
            await ThrowIfFailedAsync(response, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await TarArchives.ExtractGzipAsync(body, directory, cancellationToken);
            return true;
        }, null, cancellationToken);

    /// <summary>Sends the packaged artifacts (the whole directory, as a gzipped tar written while it is sent).</summary>
    public Task UploadArtifactsAsync(string uuid, string leaseToken, string directory, CancellationToken cancellationToken) =>
        SendAsync(AgentProtocol.BuildsPath + uuid + "/artifacts", () => new ArchiveContent(directory),
            response => ReadAsync<JsonElement>(response, cancellationToken), request => request.Headers.Add(AgentProtocol.LeaseHeader, leaseToken), cancellationToken);

    private Task<TResult?> PostAsync<TBody, TResult>(string path, TBody body, CancellationToken cancellationToken) =>
        SendAsync(path, () => JsonContent.Create(body, options: AgentProtocol.Json), response => ReadAsync<TResult>(response, cancellationToken), null, cancellationToken);

    private async Task<TResult?> SendAsync<TResult>(
        string path, Func<HttpContent> content, Func<HttpResponseMessage, Task<TResult?>> read, Action<HttpRequestMessage>? prepare, CancellationToken cancellationToken)
    {
        for (var tried = 1; ; tried++)
        {
            var current = Volatile.Read(ref _current);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(servers[current], path)) { Content = content() };
            request.Headers.Authorization = new AuthenticationHeaderValue(AgentProtocol.AuthorizationScheme, $"{agentId}:{agentSecret}");
            prepare?.Invoke(request);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException error) when (tried < servers.Count)
            {
                MoveOn(current, error.Message);
                continue;
            }
            catch (TaskCanceledException) when (tried < servers.Count && !cancellationToken.IsCancellationRequested)
            {
                // HttpClient's timeout: a server that stopped answering (frozen, partitioned).
                MoveOn(current, "no answer within the timeout");
                continue;
            }

            using (response)
            {
                if (tried < servers.Count && IsUnavailable(response.StatusCode))
                {
                    MoveOn(current, $"HTTP {(int)response.StatusCode}");
                    continue;
                }

                return await read(response);
            }
        }
    }

    /// <summary>The next server becomes the current one (unless another call moved on already).</summary>
    private void MoveOn(int from, string reason)
    {
        var to = (from + 1) % servers.Count;
        if (Interlocked.CompareExchange(ref _current, to, from) == from)
        {
            Say?.Invoke($"server {servers[from]} cannot be reached ({reason}); moving to {servers[to]}");
        }
    }

    private static bool IsUnavailable(HttpStatusCode status) =>
        status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return default;
        }

        await ThrowIfFailedAsync(response, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return JsonSerializer.Deserialize<T>(text, AgentProtocol.Json);
    }

    /// <summary>A refusal as the server's <see cref="AgentError"/> (or the HTTP status and text of a proxy's page).</summary>
    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
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
    }

    /// <summary>A directory sent as a gzipped tar, packed while it is sent (never whole in memory).</summary>
    private sealed class ArchiveContent : HttpContent
    {
        private readonly string _directory;

        public ArchiveContent(string directory)
        {
            _directory = directory;
            Headers.ContentType = new MediaTypeHeaderValue(AgentProtocol.ArchiveMediaType);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            TarArchives.WriteGzipAsync(_directory, stream, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
