namespace Cairn.Runner.Kubernetes;

/// <summary>The executor cannot use the cluster: no usable kubeconfig, or the API answered 401/403. The message is one line saying what to fix.</summary>
public sealed class KubernetesAccessException(string message, Exception? inner = null) : Exception(message, inner);
