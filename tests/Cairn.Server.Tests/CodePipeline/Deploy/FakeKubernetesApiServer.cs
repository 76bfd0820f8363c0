using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static Cairn.Tests.FakeKubernetesHttp;

namespace Cairn.Server.Tests.CodePipeline.Deploy;

/// <summary>
/// A Kubernetes API server in-process (HttpListener on 127.0.0.1) implementing just what the EKS deploy and
/// <c>kubectl apply --dry-run=client</c> call: discovery (/api, /apis, /api/v1, /apis/apps/v1), server-side apply
/// (PATCH), GET of an object, and the pod list by label selector. Every request is recorded. Objects are kept as
/// applied; a workload's status follows <see cref="Rollout"/>: Succeeds (not observed, then progressing, then all
/// replicas available), Stalls (ProgressDeadlineExceeded, its pod in ImagePullBackOff). <see cref="Forbidden"/> and
/// <see cref="Invalid"/> name kinds whose applies are answered 403 (RBAC) or 422 (a field the API rejects).
/// A request without the kubeconfig's bearer token is answered 401.
/// </summary>
internal sealed class FakeKubernetesApiServer : IDisposable
{
    public const string Token = "fake-sa-token-7Q2xZr9pLw";

    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _reads = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public FakeKubernetesApiServer()
    {
        _listener = Listen(out var port);
        Port = port;
        _loop = Task.Run(LoopAsync);
    }

    public enum RolloutBehaviour
    {
        Succeeds,
        Stalls,
    }

    public int Port { get; }

    public string Address => $"http://127.0.0.1:{Port}";

    public RolloutBehaviour Rollout { get; set; } = RolloutBehaviour.Succeeds;

    public HashSet<string> Forbidden { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Invalid { get; } = new(StringComparer.Ordinal);

    /// <summary>Answers requests without the token too: kubectl sends no bearer token over plain http.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>When set, a 403's message carries the request's Authorization header, as a careless proxy would.</summary>
    public bool EchoAuthorizationInErrors { get; set; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public IReadOnlyList<RecordedRequest> Patches => Requests.Where(r => r.Method == "PATCH").ToList();

    /// <summary>A kubeconfig for this server with a bearer token, namespace <paramref name="contextNamespace"/> in its context when given.</summary>
    public string Kubeconfig(string? contextNamespace = null) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: {Address}
        users:
        - name: deployer
          user:
            token: {Token}
        contexts:
        - name: fake
          context:
            cluster: fake
            user: deployer{(contextNamespace is null ? string.Empty : "\n    namespace: " + contextNamespace)}
        current-context: fake
        """;

    public JsonObject? Stored(string path) => _objects.TryGetValue(path, out var body) ? body : null;

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await HandleAsync(context);
            }
            catch (Exception error) when (error is HttpListenerException or IOException)
            {
                // The client went away.
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = request.HasEntityBody ? await reader.ReadToEndAsync() : string.Empty;
        var path = request.Url!.AbsolutePath;
        var authorization = request.Headers["Authorization"];
        Requests.Enqueue(new RecordedRequest(request.HttpMethod, path, request.Url.Query, request.ContentType, body, authorization));

        if (authorization != "Bearer " + Token && !AllowAnonymous)
        {
            await ReplyAsync(context, 401, Status(401, "Unauthorized", "Unauthorized"));
            return;
        }

        var (status, answer) = request.HttpMethod switch
        {
            "GET" => Get(path, request.QueryString["labelSelector"]),
            "PATCH" => Apply(path, body, authorization),
            _ => (405, Status(405, "MethodNotAllowed", $"{request.HttpMethod} is not served by the fake")),
        };
        await ReplyAsync(context, status, answer);
    }

    private (int, JsonNode) Get(string path, string? selector)
    {
        switch (path)
        {
            case "/api":
                return (200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") });
            case "/apis":
                return (200, JsonNode.Parse("""
                    {"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]}
                    """)!);
            case "/api/v1":
                return (200, Resources("v1", ("pods", "Pod", true), ("services", "Service", true), ("configmaps", "ConfigMap", true), ("secrets", "Secret", true), ("namespaces", "Namespace", false)));
            case "/apis/apps/v1":
                return (200, Resources("apps/v1", ("deployments", "Deployment", true), ("statefulsets", "StatefulSet", true), ("daemonsets", "DaemonSet", true)));
        }

        if (path.EndsWith("/pods", StringComparison.Ordinal))
        {
            return (200, Pods(selector));
        }

        if (!_objects.TryGetValue(path, out var stored))
        {
            var name = path[(path.LastIndexOf('/') + 1)..];
            return (404, Status(404, "NotFound", $"the object \"{name}\" is not found"));
        }

        var copy = stored.DeepClone().AsObject();
        if (copy["kind"]?.GetValue<string>() == "Deployment")
        {
            copy["status"] = DeploymentStatus(copy, _reads.AddOrUpdate(path, 1, (_, n) => n + 1));
        }

        return (200, copy);
    }

    private JsonObject DeploymentStatus(JsonObject deployment, int read)
    {
        var generation = deployment["metadata"]!["generation"]!.GetValue<long>();
        var replicas = deployment["spec"]?["replicas"]?.GetValue<long>() ?? 1;
        if (read == 1)
        {
            return new JsonObject { ["observedGeneration"] = generation - 1 };
        }

        if (Rollout == RolloutBehaviour.Stalls)
        {
            return new JsonObject
            {
                ["observedGeneration"] = generation,
                ["replicas"] = replicas,
                ["updatedReplicas"] = 1,
                ["availableReplicas"] = 0,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Progressing",
                    ["status"] = "False",
                    ["reason"] = "ProgressDeadlineExceeded",
                    ["message"] = $"ReplicaSet \"{deployment["metadata"]!["name"]}-5d4f8\" has timed out progressing.",
                }),
            };
        }

        var updated = read == 2 ? Math.Max(0, replicas - 1) : replicas;
        return new JsonObject
        {
            ["observedGeneration"] = generation,
            ["replicas"] = replicas,
            ["updatedReplicas"] = updated,
            ["readyReplicas"] = updated,
            ["availableReplicas"] = updated,
        };
    }

    private JsonObject Pods(string? selector)
    {
        var items = new JsonArray();
        if (Rollout == RolloutBehaviour.Stalls && selector is not null)
        {
            var pod = JsonNode.Parse("""
                {"metadata":{"name":"web-5d4f8-x2x9k"},
                 "status":{"containerStatuses":[{"name":"web","state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image \"registry.example:5000/flask-app:missing\""}}}]}}
                """)!;
            pod["metadata"]!["labels"] = new JsonObject { ["selector"] = selector };
            items.Add(pod);
        }

        return new JsonObject { ["kind"] = "PodList", ["apiVersion"] = "v1", ["items"] = items };
    }

    private (int, JsonNode) Apply(string path, string body, string? authorization)
    {
        var applied = JsonNode.Parse(body)!.AsObject();
        var kind = applied["kind"]!.GetValue<string>();
        var name = applied["metadata"]!["name"]!.GetValue<string>();
        var segments = path.Split('/');
        var ns = Array.IndexOf(segments, "namespaces") is var at and >= 0 && at + 2 < segments.Length ? segments[at + 1] : null;
        if (Forbidden.Contains(kind))
        {
            var plural = segments[^2];
            var group = path.StartsWith("/apis/", StringComparison.Ordinal) ? segments[2] : string.Empty;
            return (403, Status(403, "Forbidden",
                $"{plural}{(group.Length > 0 ? "." + group : string.Empty)} \"{name}\" is forbidden: User \"system:serviceaccount:ci:deployer\" cannot patch resource \"{plural}\" in API group \"{group}\" in the namespace \"{ns}\""
                + (EchoAuthorizationInErrors ? $" (request carried {authorization})" : string.Empty)));
        }

        if (Invalid.Contains(kind))
        {
            var status = Status(422, "Invalid", $"{kind} \"{name}\" is invalid: spec.template.spec.containers[0].image: Required value");
            status["details"] = JsonNode.Parse($$"""{"name":"{{name}}","kind":"{{kind.ToLowerInvariant()}}s","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.template.spec.containers[0].image"}]}""");
            return (422, status);
        }

        var existed = _objects.TryGetValue(path, out var before);
        var metadata = applied["metadata"]!.AsObject();
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        metadata["generation"] = (before?["metadata"]?["generation"]?.GetValue<long>() ?? 0) + 1;
        _objects[path] = applied;
        _reads.TryRemove(path, out _);
        return (existed ? 200 : 201, applied.DeepClone());
    }

    private static JsonObject Resources(string groupVersion, params (string Name, string Kind, bool Namespaced)[] resources) => new()
    {
        ["kind"] = "APIResourceList",
        ["groupVersion"] = groupVersion,
        ["resources"] = new JsonArray(resources.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name,
            ["singularName"] = r.Kind.ToLowerInvariant(),
            ["kind"] = r.Kind,
            ["namespaced"] = r.Namespaced,
            ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
        }).ToArray()),
    };

    public void Dispose()
    {
        if (!_listener.IsListening)
        {
            return;
        }

        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // Already closing.
        }

        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

/// <summary>One request as the fake API server received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string Body, string? Authorization);
