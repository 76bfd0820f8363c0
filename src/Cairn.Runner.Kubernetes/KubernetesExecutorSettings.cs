namespace Cairn.Runner.Kubernetes;

/// <summary>
/// Where the Kubernetes executor runs builds: the cluster from <see cref="Kubeconfig"/> (a file path) or, when null, the pod's
/// own service account (in-cluster); the namespace its Jobs, Secrets and ConfigMaps live in; <see cref="Owner"/> labels them
/// so the orphan reaper only removes this executor's own.
/// </summary>
public sealed record KubernetesExecutorSettings(string? Kubeconfig, string Namespace, string Owner)
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedBy = "cairn";
    public const string BuildLabel = "cairn.dev/build-id";
    public const string ProjectLabel = "cairn.dev/project";
    public const string OwnerLabel = "cairn.dev/owner";

    /// <summary>How long a finished Job (and its pod's log) stays for `kubectl logs` before Kubernetes removes it.</summary>
    public int TtlSecondsAfterFinished { get; init; } = 600;

    /// <summary>How often the pod is looked at while it starts and after its log ends.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a pod may stay Pending (image pull, scheduling) before the build fails.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the orphan reaper runs after its first sweep at start.</summary>
    public TimeSpan ReapInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The label selector for this executor's objects.</summary>
    public string Selector => $"{ManagedByLabel}={ManagedBy},{OwnerLabel}={KubernetesNames.Label(Owner)}";
}
