using System.Text.Json.Nodes;
using Cairn.Core.Errors;

namespace Cairn.Deploy.Kubernetes;

/// <summary>
/// One deploy of manifests onto one cluster: every object applied in the order written (server-side apply, the
/// object's namespace or <c>defaultNamespace</c> for a namespaced kind that names none), then every Deployment,
/// StatefulSet and DaemonSet followed until its rollout completes, fails (ProgressDeadlineExceeded) or the timeout
/// passes. A failure names the object, what the API server said and how to fix it; a stalled rollout names its pods'
/// waiting reasons (ImagePullBackOff, CrashLoopBackOff, ...). Nothing is rolled back: Kubernetes keeps the old
/// ReplicaSet serving while a new one fails, as it does for <c>kubectl apply</c>.
/// </summary>
public sealed class KubernetesDeployment(KubernetesApi api, TimeProvider time, TimeSpan? poll = null)
{
    private readonly TimeSpan _poll = poll ?? TimeSpan.FromSeconds(2);

    public async Task<KubernetesDeployResult> RunAsync(
        IReadOnlyList<ManifestObject> objects, string defaultNamespace, TimeSpan timeout, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(log);
        var applied = new List<AppliedObject>();
        foreach (var item in objects)
        {
            applied.Add(await ApplyAsync(item, defaultNamespace, applied, log, cancellationToken));
        }

        var workloads = applied.Where(a => RolloutStatus.IsWorkload(a.Object.Kind)).ToList();
        if (workloads.Count > 0)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await WaitAsync(workloads, log, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var pending = new List<string>();
                foreach (var workload in workloads)
                {
                    var now = await api.GetAsync(workload.Path, CancellationToken.None);
                    if (now.Body is JsonObject body && !RolloutStatus.Of(workload.Object.Kind, body).Done)
                    {
                        pending.Add($"{workload.Describe} ({RolloutStatus.Of(workload.Object.Kind, body).Message}{await PodProblemsAsync(workload, body, CancellationToken.None)})");
                    }
                }

                throw AwsErrors.KubernetesRolloutTimedOut((int)timeout.TotalMinutes, pending);
            }
        }

        return new KubernetesDeployResult(applied);
    }

    private async Task<AppliedObject> ApplyAsync(ManifestObject item, string defaultNamespace, List<AppliedObject> before, Action<string> log, CancellationToken cancellationToken)
    {
        var (group, version) = item.GroupVersion;
        ApiResource? resource;
        try
        {
            resource = await api.ResourceAsync(group, version, item.Kind, cancellationToken);
        }
        catch (KubernetesForbiddenException denied)
        {
            throw AwsErrors.KubernetesForbidden(item.Describe, item.Where, denied.Response.Message, api.User, Applied(before));
        }

        if (resource is null)
        {
            throw AwsErrors.KubernetesKindUnknown(item.Kind, item.ApiVersion, item.Where, Applied(before));
        }

        var ns = resource.Namespaced ? item.Namespace ?? defaultNamespace : null;
        var path = KubernetesApi.PathOf(group, version, resource, ns, item.Name);
        var response = await api.ApplyAsync(path, item.Body, cancellationToken);
        var describe = ns is null ? item.Describe : $"{item.Describe} in namespace {ns}";
        if (!response.Succeeded)
        {
            throw response.StatusCode switch
            {
                401 or 403 => AwsErrors.KubernetesForbidden(describe, item.Where, response.Message, api.User, Applied(before)),
                422 or 400 => AwsErrors.KubernetesObjectInvalid(describe, item.Where, response.Message, response.Causes, Applied(before)),
                404 when ns is not null => AwsErrors.KubernetesNamespaceMissing(describe, ns, response.Message, Applied(before)),
                _ => AwsErrors.KubernetesApplyFailed(describe, item.Where, response.StatusCode, response.Message, Applied(before)),
            };
        }

        var generation = response.Body?["metadata"]?["generation"];
        log($"Applied {describe} ({(response.StatusCode == 201 ? "created" : "configured")}{(generation is null ? string.Empty : ", generation " + generation.ToJsonString())})");
        return new AppliedObject(item, ns, path);
    }

    private async Task WaitAsync(List<AppliedObject> workloads, Action<string> log, CancellationToken cancellationToken)
    {
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = workloads.ToList();
        while (true)
        {
            foreach (var workload in pending.ToList())
            {
                var now = await api.GetAsync(workload.Path, cancellationToken);
                if (now.Body is not JsonObject body || !now.Succeeded)
                {
                    throw AwsErrors.KubernetesRolloutFailed(workload.Describe, workload.Namespace, $"reading it back failed: {now.Message}", workload.Object.Kind);
                }

                var status = RolloutStatus.Of(workload.Object.Kind, body);
                var problems = status.Done ? string.Empty : await PodProblemsAsync(workload, body, cancellationToken);
                var line = $"Rollout of {workload.Describe}: {status.Message}{problems}";
                if (!last.TryGetValue(workload.Path, out var previous) || previous != line)
                {
                    last[workload.Path] = line;
                    log(line);
                }

                if (status.Failed)
                {
                    throw AwsErrors.KubernetesRolloutFailed(workload.Describe, workload.Namespace, status.Message + problems, workload.Object.Kind);
                }

                if (status.Done)
                {
                    pending.Remove(workload);
                }
            }

            if (pending.Count == 0)
            {
                return;
            }

            await Task.Delay(_poll, time, cancellationToken);
        }
    }

    /// <summary>"; pods: web-1 ImagePullBackOff (Back-off pulling image ...)" for the workload's pods that wait or crash, else empty.</summary>
    private async Task<string> PodProblemsAsync(AppliedObject workload, JsonObject body, CancellationToken cancellationToken)
    {
        if (workload.Namespace is null || body["spec"]?["selector"]?["matchLabels"] is not JsonObject labels || labels.Count == 0)
        {
            return string.Empty;
        }

        var selector = string.Join(",", labels.Select(l => $"{l.Key}={l.Value?.GetValue<string>()}"));
        var pods = await api.GetAsync($"/api/v1/namespaces/{Uri.EscapeDataString(workload.Namespace)}/pods?labelSelector={Uri.EscapeDataString(selector)}", cancellationToken);
        if (pods.Body?["items"] is not JsonArray items)
        {
            return string.Empty;
        }

        var problems = new List<string>();
        foreach (var pod in items.OfType<JsonObject>())
        {
            var name = pod["metadata"]?["name"]?.GetValue<string>() ?? "?";
            var statuses = (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [];
            foreach (var container in statuses)
            {
                if (container["state"]?["waiting"] is JsonObject waiting && waiting["reason"]?.GetValue<string>() is { } reason && reason != "ContainerCreating")
                {
                    var message = waiting["message"]?.GetValue<string>();
                    problems.Add($"{name} {reason}{(string.IsNullOrEmpty(message) ? string.Empty : " (" + message + ")")}");
                }
            }
        }

        return problems.Count == 0 ? string.Empty : "; pods: " + string.Join("; ", problems.Distinct().Take(5)) + Hint(problems);
    }

    private static string Hint(List<string> problems) =>
        problems.Any(p => p.Contains("ImagePull", StringComparison.Ordinal) || p.Contains("ErrImagePull", StringComparison.Ordinal))
            ? " (the nodes cannot pull the image: check that the build pushed it, the name and tag in the manifest, and the pods' imagePullSecrets for a private registry)"
            : problems.Any(p => p.Contains("CrashLoopBackOff", StringComparison.Ordinal))
                ? " (the container starts and exits: kubectl logs --previous on the pod shows why)"
                : string.Empty;

    private static IReadOnlyList<string> Applied(List<AppliedObject> before) => before.Select(a => a.Describe).ToList();
}

/// <summary>An object the deploy applied, and where it lives.</summary>
public sealed record AppliedObject(ManifestObject Object, string? Namespace, string Path)
{
    public string Describe => Namespace is null ? Object.Describe : $"{Object.Describe} (namespace {Namespace})";
}

/// <summary>What a deploy applied, in order.</summary>
public sealed record KubernetesDeployResult(IReadOnlyList<AppliedObject> Applied);
