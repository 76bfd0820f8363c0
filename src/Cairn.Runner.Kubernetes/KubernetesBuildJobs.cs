using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Cairn.Runner.Builds;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Cairn.Runner.Kubernetes;

/// <summary>
/// Runs builds as batch/v1 Jobs in one namespace. Per build: a Job created suspended (backoffLimit 0, activeDeadlineSeconds
/// from the build's timeout, ttlSecondsAfterFinished, labels naming the build, project and owner), then a ConfigMap (run.sh
/// and source.tgz) and a Secret (the variables the log masks: Parameter Store and Secrets Manager values, the role's
/// credentials) both owned by the Job, then the Job resumed. The pod's log is followed line by line; the exit code comes from
/// the pod's terminated state. The Secret and ConfigMap are deleted when the build ends (the Job stays for its TTL); a
/// stopped build's Job is deleted with propagationPolicy Background. A 401/403 says which RBAC verb and resource is missing.
/// </summary>
public sealed class KubernetesBuildJobs : IDisposable
{
    private const string Container = "build";
    private readonly IKubernetes _client;
    private readonly ConcurrentDictionary<string, string> _running = new(StringComparer.Ordinal);

    public KubernetesBuildJobs(IKubernetes client, KubernetesExecutorSettings settings)
    {
        _client = client;
        Settings = settings;
    }

    public KubernetesExecutorSettings Settings { get; }

    /// <summary>The Jobs of builds running now, by name (the reaper leaves them alone).</summary>
    public ICollection<string> Running => _running.Keys;

    /// <summary>
    /// A client from the kubeconfig file, or the pod's service account when <paramref name="settings"/> names none; an empty
    /// namespace is the kubeconfig context's (or the service account's), else "default".
    /// </summary>
    public static KubernetesBuildJobs Connect(KubernetesExecutorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        KubernetesClientConfiguration configuration;
        if (settings.Kubeconfig is { } path)
        {
            if (!File.Exists(path))
            {
                throw new KubernetesAccessException($"the kubeconfig {path} does not exist: pass --kubeconfig with a readable file, or run the agent in the cluster (service account) without it.");
            }

            try
            {
                configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            }
            catch (Exception error) when (error is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException or ArgumentException)
            {
                throw new KubernetesAccessException($"the kubeconfig {path} cannot be used: {error.Message.Split('\n')[0]}", error);
            }
        }
        else if (KubernetesClientConfiguration.IsInCluster())
        {
            configuration = KubernetesClientConfiguration.InClusterConfig();
        }
        else
        {
            throw new KubernetesAccessException("no kubeconfig given and not running in a Kubernetes pod: pass --kubeconfig <file>, or run the agent in the cluster with a service account.");
        }

        var ns = settings.Namespace is { Length: > 0 } given ? given : configuration.Namespace ?? "default";
        return new KubernetesBuildJobs(new k8s.Kubernetes(configuration), settings with { Namespace = ns });
    }

    public async Task<int?> RunAsync(PodBuild build, Action<string> onLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(onLine);
        var name = KubernetesNames.Job(build.BuildId);
        _running[name] = build.BuildId;
        try
        {
            var job = await CallAsync("create", "jobs", () => _client.BatchV1.CreateNamespacedJobAsync(Job(name, build), Settings.Namespace, fieldValidation: "Strict", cancellationToken: cancellationToken));
            var owner = new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = name, Uid = job.Metadata.Uid };
            await CallAsync("create", "configmaps", () => _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = Metadata(KubernetesNames.ConfigMap(name), build, owner),
                Data = new Dictionary<string, string> { [PodBuild.ScriptFile] = build.Script },
                BinaryData = new Dictionary<string, byte[]> { [PodBuild.SourceFile] = build.SourceArchive },
            }, Settings.Namespace, fieldValidation: "Strict", cancellationToken: cancellationToken));
            await CallAsync("create", "secrets", () => _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
            {
                Metadata = Metadata(KubernetesNames.Secret(name), build, owner),
                Type = "Opaque",
                Data = build.SecretVariables.ToDictionary(v => v.Key, v => Encoding.UTF8.GetBytes(v.Value), StringComparer.Ordinal),
            }, Settings.Namespace, fieldValidation: "Strict", cancellationToken: cancellationToken));
            await CallAsync("patch", "jobs", () => _client.BatchV1.PatchNamespacedJobAsync(
                new V1Patch("{\"spec\":{\"suspend\":false}}", V1Patch.PatchType.MergePatch), name, Settings.Namespace, fieldValidation: "Strict", cancellationToken: cancellationToken));

            var pod = await WaitForPodAsync(name, cancellationToken);
            await FollowLogAsync(pod, onLine, cancellationToken);
            return await ExitCodeAsync(pod, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await DeleteJobAsync(name, CancellationToken.None);
            throw;
        }
        finally
        {
            await DeleteQuietlyAsync(() => _client.CoreV1.DeleteNamespacedSecretAsync(KubernetesNames.Secret(name), Settings.Namespace));
            await DeleteQuietlyAsync(() => _client.CoreV1.DeleteNamespacedConfigMapAsync(KubernetesNames.ConfigMap(name), Settings.Namespace));
            _running.TryRemove(name, out _);
        }
    }

    /// <summary>Deletes a build's Job and its pods (propagationPolicy Background); an absent Job is already gone.</summary>
    public async Task DeleteJobAsync(string jobName, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("delete", "jobs", () => _client.BatchV1.DeleteNamespacedJobAsync(jobName, Settings.Namespace, propagationPolicy: "Background", cancellationToken: cancellationToken));
        }
        catch (HttpOperationException missing) when (missing.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted already (its TTL, the reaper, or a stop that raced the end).
        }
    }

    /// <summary>
    /// Deletes this owner's Jobs whose builds are not running here (an agent that died mid-build leaves them), and Secrets or
    /// ConfigMaps whose Job is gone. Returns the names of what it deleted.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReapOrphansAsync(CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        var jobs = await CallAsync("list", "jobs", () => _client.BatchV1.ListNamespacedJobAsync(Settings.Namespace, labelSelector: Settings.Selector, cancellationToken: cancellationToken));
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in jobs.Items)
        {
            var name = job.Metadata.Name;
            if (_running.ContainsKey(name))
            {
                live.Add(name);
                continue;
            }

            await DeleteJobAsync(name, cancellationToken);
            deleted.Add("job/" + name);
        }

        var secrets = await CallAsync("list", "secrets", () => _client.CoreV1.ListNamespacedSecretAsync(Settings.Namespace, labelSelector: Settings.Selector, cancellationToken: cancellationToken));
        foreach (var secret in secrets.Items.Where(s => !live.Contains(JobOf(s.Metadata))))
        {
            await DeleteQuietlyAsync(() => _client.CoreV1.DeleteNamespacedSecretAsync(secret.Metadata.Name, Settings.Namespace, cancellationToken: cancellationToken));
            deleted.Add("secret/" + secret.Metadata.Name);
        }

        var maps = await CallAsync("list", "configmaps", () => _client.CoreV1.ListNamespacedConfigMapAsync(Settings.Namespace, labelSelector: Settings.Selector, cancellationToken: cancellationToken));
        foreach (var map in maps.Items.Where(m => !live.Contains(JobOf(m.Metadata))))
        {
            await DeleteQuietlyAsync(() => _client.CoreV1.DeleteNamespacedConfigMapAsync(map.Metadata.Name, Settings.Namespace, cancellationToken: cancellationToken));
            deleted.Add("configmap/" + map.Metadata.Name);
        }

        return deleted;
    }

    /// <summary>Reaps at once, then every <see cref="KubernetesExecutorSettings.ReapInterval"/> until cancelled; failures are told to <paramref name="say"/>.</summary>
    public async Task ReapPeriodicallyAsync(Action<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(say);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                foreach (var name in await ReapOrphansAsync(cancellationToken))
                {
                    say($"deleted orphaned {name} (its build is not running)");
                }

                await Task.Delay(Settings.ReapInterval, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is KubernetesAccessException or HttpOperationException or HttpRequestException)
            {
                say($"orphan reaper: {error.Message}");
                await Task.Delay(Settings.ReapInterval, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private static string JobOf(V1ObjectMeta metadata) =>
        metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "Job")?.Name ?? "";

    private V1Job Job(string name, PodBuild build)
    {
        var env = build.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new V1EnvVar { Name = v.Key, Value = v.Value }).ToList();
        env.Add(new V1EnvVar { Name = "CAIRN_BUILD_DIR", Value = PodBuild.BuildDirectory });
        env.Add(new V1EnvVar { Name = "CAIRN_WORK_DIR", Value = PodBuild.WorkDirectory });
        var labels = Labels(build);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                Suspend = true,
                ActiveDeadlineSeconds = Math.Max(1, (long)Math.Ceiling(build.Timeout.TotalSeconds)),
                TtlSecondsAfterFinished = Settings.TtlSecondsAfterFinished,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        AutomountServiceAccountToken = false,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = Container,
                                Image = build.Image,
                                Command = [build.Shell, $"{PodBuild.BuildDirectory}/{PodBuild.ScriptFile}"],
                                Env = env,
                                EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = KubernetesNames.Secret(name) } }],
                                VolumeMounts =
                                [
                                    new V1VolumeMount { Name = "build", MountPath = PodBuild.BuildDirectory, ReadOnlyProperty = true },
                                    new V1VolumeMount { Name = "work", MountPath = PodBuild.WorkDirectory },
                                ],
                            },
                        ],
                        Volumes =
                        [
                            new V1Volume { Name = "build", ConfigMap = new V1ConfigMapVolumeSource { Name = KubernetesNames.ConfigMap(name) } },
                            new V1Volume { Name = "work", EmptyDir = new V1EmptyDirVolumeSource() },
                        ],
                    },
                },
            },
        };
    }

    private Dictionary<string, string> Labels(PodBuild build) => new(StringComparer.Ordinal)
    {
        [KubernetesExecutorSettings.ManagedByLabel] = KubernetesExecutorSettings.ManagedBy,
        [KubernetesExecutorSettings.OwnerLabel] = KubernetesNames.Label(Settings.Owner),
        [KubernetesExecutorSettings.BuildLabel] = KubernetesNames.Label(build.BuildId[(build.BuildId.LastIndexOf(':') + 1)..]),
        [KubernetesExecutorSettings.ProjectLabel] = KubernetesNames.Label(build.ProjectName),
    };

    private V1ObjectMeta Metadata(string name, PodBuild build, V1OwnerReference owner) =>
        new() { Name = name, Labels = Labels(build), OwnerReferences = [owner] };

    private async Task<V1Pod> WaitForPodAsync(string jobName, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Settings.StartTimeout;
        while (true)
        {
            var pods = await CallAsync("list", "pods", () => _client.CoreV1.ListNamespacedPodAsync(Settings.Namespace, labelSelector: "job-name=" + jobName, cancellationToken: cancellationToken));
            var pod = pods.Items.FirstOrDefault();
            if (pod?.Status?.Phase is "Running" or "Succeeded" or "Failed")
            {
                return pod;
            }

            var waiting = pod?.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting;
            if (waiting?.Reason is "ErrImagePull" or "ImagePullBackOff" or "InvalidImageName" or "CreateContainerConfigError")
            {
                throw new InvalidOperationException($"the build's pod cannot start: {waiting.Reason}: {waiting.Message}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the build's pod did not start within {Settings.StartTimeout.TotalMinutes:0.#} min (job {jobName} in namespace {Settings.Namespace})");
            }

            await Task.Delay(Settings.PollInterval, cancellationToken);
        }
    }

    private async Task FollowLogAsync(V1Pod pod, Action<string> onLine, CancellationToken cancellationToken)
    {
        var name = pod.Metadata.Name;
        await using var stream = await CallAsync("get", "pods/log", () => _client.CoreV1.ReadNamespacedPodLogAsync(name, Settings.Namespace, container: Container, follow: true, cancellationToken: cancellationToken));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            onLine(line);
        }
    }

    private async Task<int?> ExitCodeAsync(V1Pod started, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var pod = await CallAsync("get", "pods", () => _client.CoreV1.ReadNamespacedPodAsync(started.Metadata.Name, Settings.Namespace, cancellationToken: cancellationToken));
            if (pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated is { } terminated)
            {
                return terminated.ExitCode;
            }

            if (pod.Status?.Phase is "Failed" || DateTime.UtcNow > deadline)
            {
                return null;
            }

            await Task.Delay(Settings.PollInterval, cancellationToken);
        }
    }

    private async Task<T> CallAsync<T>(string verb, string resource, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException refused) when (refused.Response.StatusCode is HttpStatusCode.Unauthorized)
        {
            throw new KubernetesAccessException(
                $"the Kubernetes API refused the executor's credentials (401 Unauthorized) when it tried to {verb} {resource}: check the kubeconfig's user or the service account token.", refused);
        }
        catch (HttpOperationException refused) when (refused.Response.StatusCode is HttpStatusCode.Forbidden)
        {
            var group = resource == "jobs" ? "batch" : "\"\" (core)";
            throw new KubernetesAccessException(
                $"the Kubernetes API forbids the executor to {verb} {resource} in namespace {Settings.Namespace} (403): grant RBAC verb \"{verb}\" on resource \"{resource}\" (apiGroup {group}) to its service account, e.g. with examples/kubernetes/build-executor-rbac.yaml.", refused);
        }
    }

    private static async Task DeleteQuietlyAsync<T>(Func<Task<T>> delete)
    {
        try
        {
            await delete();
        }
        catch (HttpOperationException)
        {
            // Gone already, or the Job's deletion took it (owner reference); the reaper tries again later.
        }
        catch (HttpRequestException)
        {
            // The API went away; the owner reference and the reaper remove it later.
        }
    }
}
