using Cairn.Runner.Builds;

namespace Cairn.Runner.Kubernetes;

/// <summary>Builds run as Kubernetes Jobs (<see cref="KubernetesBuildJobs"/>): `cairn agent --executor kubernetes`.</summary>
public sealed record KubernetesPlacement(KubernetesBuildJobs Jobs) : PodPlacement
{
    public override Task<int?> RunAsync(PodBuild build, Action<string> onLine, CancellationToken cancellationToken) =>
        Jobs.RunAsync(build, onLine, cancellationToken);
}
