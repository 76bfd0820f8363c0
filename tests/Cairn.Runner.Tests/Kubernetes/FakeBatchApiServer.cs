using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static Cairn.Tests.FakeKubernetesHttp;
using k8s.Models;

namespace Cairn.Runner.Tests.Kubernetes;

/// <summary>
/// A Kubernetes API server in-process (HttpListener on 127.0.0.1) serving what the Kubernetes build executor calls:
/// batch/v1 Jobs (create, get, list by label selector, merge PATCH, DELETE with propagationPolicy), v1 Secrets and
/// ConfigMaps (create, list, delete), Pods (list by label selector, get), pods/log with follow=true, and the discovery
/// kubectl needs for a client dry run of the RBAC example. Every create and
/// patch body is checked against the kind's OpenAPI schema (<see cref="KubernetesSchema"/>): unknown fields and wrong
/// types are answered 400 "strict decoding error", missing required fields 422 Invalid, as the real server does with
/// fieldValidation=Strict. A Job that is not suspended gets a pod, and the fake RUNS it: the container's command runs
/// under /bin/sh on this host with the pod's env (env and envFrom secretRef), its configMap volumes written to a temp
/// directory and its emptyDir volumes made as one (each mountPath in the command and env replaced by that directory).
/// activeDeadlineSeconds kills it (Job condition Failed, DeadlineExceeded). Deleting a Job kills its pod and deletes the
/// objects whose ownerReferences name it (the garbage collector). A request without the bearer token is answered 401;
/// <see cref="Forbidden"/> ("create jobs", ...) is answered 403 as RBAC does.
/// </summary>
internal sealed class FakeBatchApiServer : IDisposable
{
    public const string Token = "fake-batch-token-4hQ9";

    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakePod> _pods = new(StringComparer.Ordinal);
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-fake-k8s-").FullName;
    private int _uids;

    public FakeBatchApiServer()
    {
        _listener = Listen(out var port);
        Address = $"http://127.0.0.1:{port}";
        _ = Task.Run(LoopAsync);
    }

    public string Address { get; } = "";

    /// <summary>Answers requests without the token too: kubectl sends none over plain http.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>"verb resource" pairs RBAC refuses, e.g. "create jobs".</summary>
    public HashSet<string> Forbidden { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Method, string Path, string Query, string? Body)> Requests { get; } = new();

    public string Kubeconfig => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: {Address}
        users:
        - name: cairn-agent
          user:
            token: {Token}
        contexts:
        - name: fake
          context:
            cluster: fake
            user: cairn-agent
        current-context: fake
        """;

    /// <summary>The stored objects of one resource ("jobs", "secrets", "configmaps", "pods") in a namespace.</summary>
    public IReadOnlyList<JsonObject> Objects(string resource, string ns = "ci") =>
        _objects.Where(o => o.Key.StartsWith($"{resource}/{ns}/", StringComparison.Ordinal)).Select(o => o.Value).ToList();

    /// <summary>Stores an object as if created earlier (an orphan left by a dead agent), bypassing validation.</summary>
    public void Seed(string resource, string ns, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var metadata = body["metadata"]!.AsObject();
        metadata["uid"] ??= $"uid-{Interlocked.Increment(ref _uids)}";
        _objects[$"{resource}/{ns}/{metadata["name"]}"] = body;
    }

    public void Dispose()
    {
        _listener.Close();
        foreach (var pod in _pods.Values)
        {
            pod.Kill();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A pod's files still in use; the temp directory is the OS's to clean.
        }
    }

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

            _ = Task.Run(async () =>
            {
                try
                {
                    await HandleAsync(context);
                }
                catch (Exception error) when (error is HttpListenerException or IOException or ObjectDisposedException)
                {
                    // The client went away (a stopped log stream).
                }
                catch (Exception error)
                {
                    // A bug in the fake: say it as a 500 so the test shows it.
                    await ReplyAsync(context, 500, Status(500, "InternalError", error.ToString()));
                }
            });
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var bodyReader = new StreamReader(request.InputStream);
        var body = request.HasEntityBody ? await bodyReader.ReadToEndAsync() : null;
        var path = request.Url!.AbsolutePath;
        Requests.Enqueue((request.HttpMethod, path, request.Url.Query, body));
        if (request.HttpMethod == "GET" && Discovery(path) is { } discovery)
        {
            // kubectl maps kinds through discovery even for a client dry run (and sends no token over plain http).
            await ReplyAsync(context, 200, discovery);
            return;
        }

        if (!AllowAnonymous && request.Headers["Authorization"] != $"Bearer {Token}")
        {
            await ReplyAsync(context, 401, Status(401, "Unauthorized", "Unauthorized"));
            return;
        }

        // /apis/batch/v1/namespaces/ns/jobs[/name] or /api/v1/namespaces/ns/<resource>[/name[/log]]
        var parts = path.Trim('/').Split('/');
        var offset = parts[0] == "apis" ? 3 : 2;
        if (parts.Length < offset + 3 || parts[offset] != "namespaces")
        {
            await ReplyAsync(context, 404, Status(404, "NotFound", $"the fake serves no {path}"));
            return;
        }

        var ns = parts[offset + 1];
        var resource = parts[offset + 2];
        var name = parts.Length > offset + 3 ? parts[offset + 3] : null;
        var sub = parts.Length > offset + 4 ? parts[offset + 4] : null;
        var verb = (request.HttpMethod, name) switch
        {
            ("POST", _) => "create",
            ("GET", null) => "list",
            ("GET", _) => "get",
            ("PATCH", _) => "patch",
            ("DELETE", _) => "delete",
            _ => request.HttpMethod.ToLowerInvariant(),
        };
        var rbacResource = sub is null ? resource : $"{resource}/{sub}";
        if (Forbidden.Contains($"{verb} {rbacResource}"))
        {
            var group = resource == "jobs" ? "batch" : "";
            await ReplyAsync(context, 403, Status(403, "Forbidden",
                $"{resource}{(group.Length > 0 ? "." + group : "")} is forbidden: User \"system:serviceaccount:{ns}:cairn-agent\" cannot {verb} resource \"{rbacResource}\" in API group \"{group}\" in the namespace \"{ns}\""));
            return;
        }

        if (sub == "log")
        {
            await StreamLogAsync(context, $"pods/{ns}/{name}", request.QueryString["follow"] == "true");
            return;
        }

        var (status, reply) = verb switch
        {
            "create" => Create(ns, resource, body),
            "list" => List(ns, resource, request.QueryString["labelSelector"]),
            "get" => _objects.TryGetValue($"{resource}/{ns}/{name}", out var found) ? (200, (JsonNode)found.DeepClone()) : NotFound(resource, name!),
            "patch" => Patch(ns, resource, name!, body, request.ContentType),
            "delete" => Delete(ns, resource, name!, request.QueryString["propagationPolicy"] ?? PolicyOf(body)),
            _ => (405, Status(405, "MethodNotAllowed", $"{request.HttpMethod} is not served by the fake")),
        };
        await ReplyAsync(context, status, reply);
    }

    private static JsonNode? Discovery(string path) => path switch
    {
        "/api" => new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") },
        "/apis" => JsonNode.Parse("""
            {"kind":"APIGroupList","apiVersion":"v1","groups":[
              {"name":"batch","versions":[{"groupVersion":"batch/v1","version":"v1"}],"preferredVersion":{"groupVersion":"batch/v1","version":"v1"}},
              {"name":"rbac.authorization.k8s.io","versions":[{"groupVersion":"rbac.authorization.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"rbac.authorization.k8s.io/v1","version":"v1"}}]}
            """),
        "/api/v1" => Resources("v1", ("pods", "Pod"), ("secrets", "Secret"), ("configmaps", "ConfigMap"), ("serviceaccounts", "ServiceAccount")),
        "/apis/batch/v1" => Resources("batch/v1", ("jobs", "Job")),
        "/apis/rbac.authorization.k8s.io/v1" => Resources("rbac.authorization.k8s.io/v1", ("roles", "Role"), ("rolebindings", "RoleBinding")),
        _ => null,
    };

    private static JsonObject Resources(string groupVersion, params (string Name, string Kind)[] resources) => new()
    {
        ["kind"] = "APIResourceList",
        ["groupVersion"] = groupVersion,
        ["resources"] = new JsonArray(resources.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name,
            ["singularName"] = r.Kind.ToLowerInvariant(),
            ["kind"] = r.Kind,
            ["namespaced"] = true,
            ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch"),
        }).ToArray()),
    };

    private static Type? Model(string resource) => resource switch
    {
        "jobs" => typeof(V1Job),
        "secrets" => typeof(V1Secret),
        "configmaps" => typeof(V1ConfigMap),
        _ => null,
    };

    private static string Kind(string resource) => resource switch
    {
        "jobs" => "Job.batch",
        "secrets" => "Secret",
        "configmaps" => "ConfigMap",
        _ => resource,
    };

    private (int, JsonNode) Create(string ns, string resource, string? text)
    {
        if (Model(resource) is not { } model || text is null)
        {
            return (405, Status(405, "MethodNotAllowed", $"the fake creates no {resource}"));
        }

        var body = JsonNode.Parse(text)!.AsObject();
        var name = body["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (Invalid(resource, name, body, model, patch: false) is { } refused)
        {
            return refused;
        }

        var key = $"{resource}/{ns}/{name}";
        var metadata = body["metadata"]!.AsObject();
        metadata["namespace"] = ns;
        metadata["uid"] = $"uid-{Interlocked.Increment(ref _uids)}";
        metadata["creationTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        if (!_objects.TryAdd(key, body))
        {
            return (409, Status(409, "AlreadyExists", $"{Kind(resource)} \"{name}\" already exists"));
        }

        if (resource == "jobs")
        {
            StartIfResumed(ns, body);
        }

        return (201, body.DeepClone());
    }

    private static (int, JsonNode)? Invalid(string resource, string name, JsonObject body, Type model, bool patch)
    {
        var (decoding, required) = KubernetesSchema.Check(body, model, patch);
        if (decoding.Count > 0)
        {
            return (400, Status(400, "BadRequest", $"{Kind(resource)} \"{name}\" is invalid: strict decoding error: {string.Join(", ", decoding)}"));
        }

        if (required.Count > 0)
        {
            return (422, Status(422, "Invalid", $"{Kind(resource)} \"{name}\" is invalid: {string.Join(", ", required)}"));
        }

        return null;
    }

    private (int, JsonNode) List(string ns, string resource, string? selector)
    {
        var wanted = (selector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('=', 2)).ToList();
        var items = new JsonArray();
        foreach (var item in Objects(resource, ns))
        {
            var labels = item["metadata"]?["labels"] as JsonObject;
            if (wanted.All(w => labels?[w[0]]?.GetValue<string>() == w[1]))
            {
                items.Add(item.DeepClone());
            }
        }

        return (200, new JsonObject { ["kind"] = "List", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["items"] = items });
    }

    private (int, JsonNode) Patch(string ns, string resource, string name, string? text, string? contentType)
    {
        if (Model(resource) is not { } model || text is null || contentType?.StartsWith("application/merge-patch+json", StringComparison.Ordinal) != true)
        {
            return (415, Status(415, "UnsupportedMediaType", $"the fake takes merge patches of jobs, secrets and configmaps, not {contentType}"));
        }

        if (!_objects.TryGetValue($"{resource}/{ns}/{name}", out var stored))
        {
            return NotFound(resource, name);
        }

        var patch = JsonNode.Parse(text)!.AsObject();
        if (Invalid(resource, name, patch, model, patch: true) is { } refused)
        {
            return refused;
        }

        lock (stored)
        {
            Merge(stored, patch);
        }

        if (resource == "jobs")
        {
            StartIfResumed(ns, stored);
        }

        return (200, stored.DeepClone());
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private (int, JsonNode) Delete(string ns, string resource, string name, string? propagation)
    {
        if (!_objects.TryRemove($"{resource}/{ns}/{name}", out var removed))
        {
            return NotFound(resource, name);
        }

        removed["metadata"]!.AsObject()["deletionPropagation"] = propagation ?? "default";
        DeletedJobs.Enqueue((name, propagation));
        if (resource == "jobs")
        {
            var uid = removed["metadata"]!["uid"]!.GetValue<string>();
            foreach (var (key, pod) in _pods.Where(p => p.Value.JobName == name))
            {
                pod.Kill();
                _pods.TryRemove(key, out _);
                _objects.TryRemove(key, out _);
            }

            // The garbage collector: dependents whose ownerReferences name the Job go too (Background or Foreground).
            foreach (var (key, dependent) in _objects.ToList())
            {
                if (dependent["metadata"]?["ownerReferences"] is JsonArray owners && owners.Any(o => o?["uid"]?.GetValue<string>() == uid))
                {
                    _objects.TryRemove(key, out _);
                }
            }
        }

        return (200, Status(200, "Success", "deleted"));
    }

    /// <summary>Every DELETE of a Job, Secret or ConfigMap by name, with its propagationPolicy.</summary>
    public ConcurrentQueue<(string Name, string? Propagation)> DeletedJobs { get; } = new();

    private static string? PolicyOf(string? body) =>
        body is { Length: > 0 } ? JsonNode.Parse(body)?["propagationPolicy"]?.GetValue<string>() : null;

    private static (int, JsonNode) NotFound(string resource, string name) =>
        (404, Status(404, "NotFound", $"{Kind(resource)} \"{name}\" not found"));

    /// <summary>A Job not suspended and without a pod gets one, which runs at once.</summary>
    private void StartIfResumed(string ns, JsonObject job)
    {
        var jobName = job["metadata"]!["name"]!.GetValue<string>();
        if (job["spec"]?["suspend"]?.GetValue<bool>() == true || _pods.Values.Any(p => p.JobName == jobName))
        {
            return;
        }

        var podName = $"{jobName}-{Interlocked.Increment(ref _uids):x5}";
        var template = job["spec"]!["template"]!.AsObject();
        var labels = (template["metadata"]?["labels"]?.DeepClone() as JsonObject) ?? [];
        labels["job-name"] = jobName;
        labels["batch.kubernetes.io/job-name"] = jobName;
        var podObject = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = podName, ["namespace"] = ns, ["labels"] = labels },
            ["spec"] = template["spec"]!.DeepClone(),
            ["status"] = new JsonObject { ["phase"] = "Pending" },
        };
        var key = $"pods/{ns}/{podName}";
        _objects[key] = podObject;
        var pod = new FakePod(jobName, podObject);
        _pods[key] = pod;
        var deadline = job["spec"]?["activeDeadlineSeconds"]?.GetValue<long>();
        pod.Start(ns, Path.Combine(_root, podName), this, deadline is { } seconds ? TimeSpan.FromSeconds(seconds) : null, (exit, reason) => Finish(ns, job, podObject, exit, reason));
    }

    private static void Finish(string ns, JsonObject job, JsonObject pod, int exit, string? reason)
    {
        lock (pod)
        {
            pod["status"] = new JsonObject
            {
                ["phase"] = exit == 0 ? "Succeeded" : "Failed",
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = "build",
                    ["ready"] = false,
                    ["restartCount"] = 0,
                    ["image"] = pod["spec"]!["containers"]![0]!["image"]!.DeepClone(),
                    ["imageID"] = "",
                    ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = exit, ["reason"] = exit == 0 ? "Completed" : "Error" } },
                }),
            };
        }

        lock (job)
        {
            job["status"] = new JsonObject
            {
                [exit == 0 ? "succeeded" : "failed"] = 1,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = exit == 0 ? "Complete" : "Failed",
                    ["status"] = "True",
                    ["reason"] = reason ?? (exit == 0 ? "Completed" : "BackoffLimitExceeded"),
                }),
            };
        }

        _ = ns;
    }

    /// <summary>The objects a pod needs from the store: a Secret's data, a ConfigMap's data and binaryData.</summary>
    internal JsonObject? Find(string resource, string ns, string name) =>
        _objects.TryGetValue($"{resource}/{ns}/{name}", out var found) ? found : null;

    private async Task StreamLogAsync(HttpListenerContext context, string key, bool follow)
    {
        if (!_pods.TryGetValue(key, out var pod))
        {
            await ReplyAsync(context, 404, Status(404, "NotFound", $"pod {key} not found"));
            return;
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/plain";
        response.SendChunked = true;
        var sent = 0;
        while (true)
        {
            var (lines, done) = pod.Read(sent);
            foreach (var line in lines)
            {
                var bytes = Encoding.UTF8.GetBytes(line + "\n");
                await response.OutputStream.WriteAsync(bytes);
            }

            sent += lines.Count;
            if (lines.Count > 0)
            {
                await response.OutputStream.FlushAsync();
            }

            if (!follow || (done && pod.Read(sent).Lines.Count == 0))
            {
                break;
            }

            await Task.Delay(20);
        }

        response.Close();
    }

    /// <summary>One pod's container, run as a host process.</summary>
    private sealed class FakePod(string jobName, JsonObject pod)
    {
        private readonly List<string> _lines = [];
        private readonly Lock _gate = new();
        private Process? _process;
        private volatile bool _done;

        public string JobName { get; } = jobName;

        public (IReadOnlyList<string> Lines, bool Done) Read(int from)
        {
            lock (_gate)
            {
                return (_lines.Skip(from).ToList(), _done);
            }
        }

        public void Kill()
        {
            try
            {
                _process?.Kill(entireProcessTree: true);
            }
            catch (Exception error) when (error is InvalidOperationException or ObjectDisposedException)
            {
                // Ended already.
            }
        }

        public void Start(string ns, string directory, FakeBatchApiServer server, TimeSpan? deadline, Action<int, string?> finished)
        {
            var spec = pod["spec"]!;
            var container = spec["containers"]![0]!;
            var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var volume in spec["volumes"]?.AsArray() ?? [])
            {
                var path = Path.Combine(directory, volume!["name"]!.GetValue<string>());
                Directory.CreateDirectory(path);
                if (volume["configMap"]?["name"]?.GetValue<string>() is { } map && server.Find("configmaps", ns, map) is { } configMap)
                {
                    foreach (var (file, text) in configMap["data"]?.AsObject() ?? [])
                    {
                        File.WriteAllText(Path.Combine(path, file), text!.GetValue<string>());
                    }

                    foreach (var (file, data) in configMap["binaryData"]?.AsObject() ?? [])
                    {
                        File.WriteAllBytes(Path.Combine(path, file), Convert.FromBase64String(data!.GetValue<string>()));
                    }
                }

                foreach (var mount in container["volumeMounts"]?.AsArray() ?? [])
                {
                    if (mount!["name"]!.GetValue<string>() == volume["name"]!.GetValue<string>())
                    {
                        mounts[mount["mountPath"]!.GetValue<string>()] = path;
                    }
                }
            }

            string Rewrite(string value) => mounts.Aggregate(value, (text, mount) => text.Replace(mount.Key, mount.Value, StringComparison.Ordinal));
            var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec \"$@\" 2>&1");
            start.ArgumentList.Add("sh");
            foreach (var word in container["command"]!.AsArray().Concat(container["args"]?.AsArray() ?? []))
            {
                start.ArgumentList.Add(Rewrite(word!.GetValue<string>()));
            }

            start.Environment.Clear();
            start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
            foreach (var from in container["envFrom"]?.AsArray() ?? [])
            {
                if (from?["secretRef"]?["name"]?.GetValue<string>() is { } secretName && server.Find("secrets", ns, secretName) is { } secret)
                {
                    foreach (var (name, value) in secret["data"]?.AsObject() ?? [])
                    {
                        start.Environment[name] = Encoding.UTF8.GetString(Convert.FromBase64String(value!.GetValue<string>()));
                    }
                }
            }

            foreach (var variable in container["env"]?.AsArray() ?? [])
            {
                start.Environment[variable!["name"]!.GetValue<string>()] = Rewrite(variable["value"]?.GetValue<string>() ?? "");
            }

            lock (pod)
            {
                pod["status"] = new JsonObject { ["phase"] = "Running" };
            }

            _process = Process.Start(start)!;
            var process = _process;
            _ = Task.Run(async () =>
            {
                string? reason = null;
                using var timeout = deadline is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
                using var kill = timeout.Token.Register(() =>
                {
                    reason = "DeadlineExceeded";
                    Kill();
                });
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    lock (_gate)
                    {
                        _lines.Add(line);
                    }
                }

                await process.WaitForExitAsync();
                finished(reason is null ? process.ExitCode : 137, reason);
                _done = true;
                process.Dispose();
            });
        }
    }
}
