using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;

namespace Cairn.Deploy.Kubernetes;

/// <summary>
/// One Kubernetes API server as a kubeconfig reaches it, with the kubeconfig read from memory only (KubernetesClient
/// builds the TLS and credentials from the text; nothing is written to disk). Calls are plain REST against the API
/// (discovery, server-side apply, get, list) so any kind the cluster serves can be applied; answers come back as
/// <see cref="KubeResponse"/>, never as exceptions, except an unreachable server (<see cref="KubernetesUnreachableException"/>)
/// and cancellation.
/// </summary>
public sealed partial class KubernetesApi : IDisposable
{
    /// <summary>The field manager Cairn's server-side applies are recorded under (metadata.managedFields).</summary>
    public const string FieldManager = "cairn-eks-deploy";

    private readonly k8s.Kubernetes _client;
    private readonly Dictionary<string, IReadOnlyList<ApiResource>?> _discovery = new(StringComparer.Ordinal);

    private KubernetesApi(k8s.Kubernetes client, string server, string? contextNamespace, string? user)
    {
        _client = client;
        Server = server;
        ContextNamespace = contextNamespace;
        User = user;
    }

    /// <summary>The API server's address (the kubeconfig's current context's cluster).</summary>
    public string Server { get; }

    /// <summary>The namespace the kubeconfig's current context names, if any.</summary>
    public string? ContextNamespace { get; }

    /// <summary>The kubeconfig's user name for the current context (for RBAC fixes); not a credential.</summary>
    public string? User { get; }

    /// <summary>A client for the kubeconfig's current context, or <see cref="KubeconfigException"/> saying what is wrong with it.</summary>
    public static KubernetesApi FromKubeconfig(string kubeconfig)
    {
        ArgumentNullException.ThrowIfNull(kubeconfig);
        KubernetesClientConfiguration configuration;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig), writable: false);
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(stream);
        }
        catch (Exception error) when (error is k8s.Exceptions.KubeConfigException or YamlDotNet.Core.YamlException or ArgumentException or FormatException
            or InvalidOperationException or System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new KubeconfigException(error.Message.Split('\n')[0]);
        }

        if (string.IsNullOrEmpty(configuration.Host))
        {
            throw new KubeconfigException("its current context's cluster has no server address");
        }

        var user = UserLine().Match(kubeconfig) is { Success: true } match ? match.Groups["user"].Value.Trim('"', '\'') : null;
        return new KubernetesApi(new k8s.Kubernetes(configuration), configuration.Host.TrimEnd('/'), configuration.Namespace, user);
    }

    /// <summary>The credentials a kubeconfig holds (tokens, passwords, private keys), for the action's secret masker.</summary>
    public static IReadOnlyList<string> SecretsOf(string kubeconfig)
    {
        ArgumentNullException.ThrowIfNull(kubeconfig);
        return SecretLine().Matches(kubeconfig).Select(m => m.Groups["value"].Value.Trim().Trim('"', '\''))
            .Where(v => v.Length >= 4)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The resources of one group/version as discovery lists them (null when the cluster does not serve it).</summary>
    public async Task<ApiResource?> ResourceAsync(string group, string version, string kind, CancellationToken cancellationToken)
    {
        var path = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        if (!_discovery.TryGetValue(path, out var resources))
        {
            var response = await SendAsync(HttpMethod.Get, path, null, null, cancellationToken);
            resources = response.StatusCode == 200 && response.Body?["resources"] is JsonArray list
                ? list.OfType<JsonObject>()
                    .Where(r => r["name"]?.GetValue<string>() is { } name && !name.Contains('/', StringComparison.Ordinal))
                    .Select(r => new ApiResource(r["name"]!.GetValue<string>(), r["kind"]?.GetValue<string>() ?? string.Empty, r["namespaced"]?.GetValue<bool>() ?? false))
                    .ToList()
                : response.StatusCode is 403 or 401 ? throw new KubernetesForbiddenException(response) : null;
            _discovery[path] = resources;
        }

        return resources?.FirstOrDefault(r => r.Kind == kind);
    }

    /// <summary>The path of an object (or, with a null name, of its collection) in a namespace (null for a cluster-scoped kind).</summary>
    public static string PathOf(string group, string version, ApiResource resource, string? ns, string? name)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var root = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        var scope = resource.Namespaced ? $"/namespaces/{Uri.EscapeDataString(ns!)}" : string.Empty;
        return $"{root}{scope}/{resource.Plural}" + (name is null ? string.Empty : "/" + Uri.EscapeDataString(name));
    }

    /// <summary>
    /// Server-side apply of <paramref name="body"/> (PATCH, application/apply-patch+yaml, fieldManager cairn-eks-deploy,
    /// force): creates the object or updates the fields the manifest sets, as <c>kubectl apply --server-side --force-conflicts</c>.
    /// </summary>
    public Task<KubeResponse> ApplyAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var query = $"?fieldManager={FieldManager}&force=true&fieldValidation=Strict";
        return SendAsync(HttpMethod.Patch, path + query, body.ToJsonString(), "application/apply-patch+yaml", cancellationToken);
    }

    public Task<KubeResponse> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, null, cancellationToken);

    /// <summary>One request; the answer's status and JSON body (a Status object for a failure).</summary>
    public async Task<KubeResponse> SendAsync(HttpMethod method, string path, string? content, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var request = new HttpRequestMessage(method, new Uri(Server + path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (content is not null)
        {
            request.Content = new StringContent(content, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }

        try
        {
            if (_client.Credentials is { } credentials)
            {
                await credentials.ProcessHttpRequestAsync(request, cancellationToken);
            }

            using var response = await _client.HttpClient.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? body = null;
            try
            {
                body = text.Length > 0 ? JsonNode.Parse(text) : null;
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON (a proxy's page): the text is kept for the message.
            }

            return new KubeResponse((int)response.StatusCode, body, text);
        }
        catch (HttpRequestException error)
        {
            throw new KubernetesUnreachableException(Server, error.HttpRequestError == HttpRequestError.SecureConnectionError
                ? $"the TLS handshake with {Server} failed ({Deepest(error)}): check certificate-authority-data in the kubeconfig"
                : $"{Server} does not answer ({Deepest(error)}): check that the API server runs and that the kubeconfig's server address is reachable from the Cairn host");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesUnreachableException(Server, $"{Server} did not answer in time");
        }
    }

    public void Dispose() => _client.Dispose();

    private static string Deepest(Exception error)
    {
        while (error.InnerException is { } inner)
        {
            error = inner;
        }

        return error.Message;
    }

    [GeneratedRegex(@"^\s*(?:token|client-key-data|password|id-token|refresh-token|client-secret|access-token)\s*:\s*(?<value>\S.*?)\s*$", RegexOptions.Multiline)]
    private static partial Regex SecretLine();

    [GeneratedRegex(@"^\s*user\s*:\s*(?<user>[^\s{}]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex UserLine();
}

/// <summary>A kind the cluster serves: its plural (the path segment) and whether it lives in a namespace.</summary>
public sealed record ApiResource(string Plural, string Kind, bool Namespaced);

/// <summary>An API answer: its HTTP status and body (a Kubernetes Status object when it failed).</summary>
public sealed record KubeResponse(int StatusCode, JsonNode? Body, string Text)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>The Status message, or the body's first line.</summary>
    public string Message => Body is JsonObject status && status["message"] is JsonValue message && message.TryGetValue<string>(out var text)
        ? text
        : (Text.Length == 0 ? $"HTTP {StatusCode.ToString(CultureInfo.InvariantCulture)}" : Text.Split('\n')[0]);

    /// <summary>Status.details.causes as "field: message" lines (a 422's reasons).</summary>
    public IReadOnlyList<string> Causes => Body?["details"]?["causes"] is JsonArray causes
        ? causes.OfType<JsonObject>().Select(c => $"{c["field"]?.GetValue<string>() ?? "?"}: {c["message"]?.GetValue<string>() ?? c["reason"]?.GetValue<string>()}").ToList()
        : [];

    public bool IsForbidden => StatusCode is (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.Unauthorized;
}

/// <summary>The kubeconfig cannot be used, and why.</summary>
public sealed class KubeconfigException(string problem) : Exception(problem);

/// <summary>The API server cannot be reached, and why.</summary>
public sealed class KubernetesUnreachableException(string server, string problem) : Exception(problem)
{
    public string Server { get; } = server;
}

/// <summary>The kubeconfig's user may not make a call (401 or 403).</summary>
public sealed class KubernetesForbiddenException(KubeResponse response) : Exception(response?.Message)
{
    public KubeResponse Response { get; } = response!;
}
