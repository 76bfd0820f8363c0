using Cairn.Core.Errors;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Deploy.Kubernetes;
using Cairn.Runner.Masking;
using Cairn.Runner.Processes;
using Cairn.Storage.Artifacts;

namespace Cairn.Application.Pipelines.Actions.Deploy;

/// <summary>
/// Deploy/AWS/EKS/1 onto a Kubernetes cluster registered by kubeconfig (<see cref="ClusterRegistration"/>): the
/// ManifestFiles of the input artifact (comma-separated paths), with the action's environment variables substituted
/// (<c>$NAME</c>, <c>${NAME}</c>), are applied through the Kubernetes API with server-side apply in Namespace (the
/// kubeconfig context's namespace, else <c>default</c>, when not set) for the objects that name none; then the
/// Deployments, StatefulSets and DaemonSets are followed until they roll out. A Helm chart (HelmChartLocation) is
/// rendered with <c>helm template</c> when helm is installed and applied the same way; without helm it fails saying
/// so and what to do instead. Output variable EKSClusterName, as AWS's. The kubeconfig stays in memory and its
/// credentials are masked in every line the action writes.
/// </summary>
public sealed class EksDeployRunner(IArtifactStore artifacts, RoleParameterReader parameters, TimeProvider time, string helmCommand = "helm", TimeSpan? poll = null)
    : IPipelineActionRunner
{
    private const string Provider = "EKS";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(60);

    public bool CanRun(ActionTypeId type) =>
        type is { Category: "Deploy", Owner: "AWS", Provider: Provider, Version: "1" };

    public Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken) =>
        DeployActionParts.RunMaskedAsync(run, progress, (masker, log) => DeployAsync(run, progress, masker, log, cancellationToken));

    private async Task<ActionOutcome> DeployAsync(ActionRun run, IActionProgress progress, SecretMasker masker, Action<string> log, CancellationToken cancellationToken)
    {
        var clusterName = DeployActionParts.Required(run, Provider, "ClusterName");
        var manifestFiles = run.Configuration.GetValueOrDefault("ManifestFiles");
        var chart = run.Configuration.GetValueOrDefault("HelmChartLocation");
        if (string.IsNullOrWhiteSpace(manifestFiles) && string.IsNullOrWhiteSpace(chart))
        {
            throw AwsErrors.KubernetesNoManifestConfiguration();
        }

        var variables = Variables(run);
        var input = run.Inputs.Count > 0 ? run.Inputs[0] : throw AwsErrors.DeployNoInputArtifact(Provider, "the Kubernetes manifest files or Helm chart");
        var namespaceSet = run.Configuration.TryGetValue("Namespace", out var configured) && !string.IsNullOrWhiteSpace(configured) ? configured.Trim() : null;
        var objects = await DeployActionParts.WithInputAsync(artifacts, input, directory => string.IsNullOrWhiteSpace(manifestFiles)
            ? RenderChartAsync(run, directory, chart!, namespaceSet, variables, log, cancellationToken)
            : ReadManifestsAsync(directory, manifestFiles, input.Name, variables, log, cancellationToken), cancellationToken);
        if (objects.Count == 0)
        {
            throw AwsErrors.KubernetesNoObjects(manifestFiles ?? chart!);
        }

        var cluster = (KubernetesCluster)await DeployActionParts.ReadClusterAsync(
            parameters, run, clusterName, ClusterRegistration.KubernetesType, Provider, "Kubernetes", cancellationToken);
        masker.AddSecrets(KubernetesApi.SecretsOf(cluster.Kubeconfig));

        KubernetesApi api;
        try
        {
            api = KubernetesApi.FromKubeconfig(cluster.Kubeconfig);
        }
        catch (KubeconfigException bad)
        {
            throw AwsErrors.DeployClusterMalformed(clusterName, $"its kubeconfig cannot be used ({bad.Message})",
                ClusterRegistration.RegisterCommand(clusterName, ClusterRegistration.KubernetesType));
        }

        using (api)
        {
            var ns = namespaceSet ?? api.ContextNamespace ?? "default";
            log($"Cluster {clusterName}: Kubernetes API at {api.Server}; namespace {ns} for objects that name none");
            await progress.ReportAsync(null, null, $"Applying {objects.Count} objects to cluster {clusterName}", cancellationToken);
            var timeout = run.TimeoutInMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : DefaultTimeout;
            KubernetesDeployResult result;
            try
            {
                result = await new KubernetesDeployment(api, time, poll).RunAsync(objects, ns, timeout, log, cancellationToken);
            }
            catch (KubernetesUnreachableException unreachable)
            {
                throw AwsErrors.DeployClusterUnreachable(clusterName, unreachable.Message);
            }

            var rolledOut = result.Applied.Where(a => RolloutStatus.IsWorkload(a.Object.Kind)).Select(a => a.Object.Describe).ToList();
            var summary = $"Applied {string.Join(", ", result.Applied.Select(a => a.Describe))} to cluster {clusterName}"
                + (rolledOut.Count == 0 ? string.Empty : $"; rolled out {string.Join(", ", rolledOut)}");
            log(summary);
            return ActionOutcome.Success(masker.MaskText(summary), [], new Dictionary<string, string> { ["EKSClusterName"] = clusterName });
        }
    }

    /// <summary>The action's environment variables by name; a SECRETS_MANAGER one is refused (its value would land in the cluster's objects).</summary>
    private static Dictionary<string, string> Variables(ActionRun run)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in run.EnvironmentVariables ?? [])
        {
            if (variable.Type != ActionEnvironmentVariable.PlainText)
            {
                throw AwsErrors.EnvironmentVariableSecretUnsupported(variable.Name);
            }

            variables[variable.Name] = variable.Value;
        }

        return variables;
    }

    private static async Task<IReadOnlyList<ManifestObject>> ReadManifestsAsync(
        string root, string manifestFiles, string artifactName, IReadOnlyDictionary<string, string> variables, Action<string> log, CancellationToken cancellationToken)
    {
        var objects = new List<ManifestObject>();
        foreach (var file in manifestFiles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var path = DeployActionParts.FileIn(root, file) ?? throw AwsErrors.KubernetesManifestNotFound(file, artifactName, DeployActionParts.Listing(root));
            objects.AddRange(Parse(file, await File.ReadAllTextAsync(path, cancellationToken), variables, log));
        }

        return objects;
    }

    private static IReadOnlyList<ManifestObject> Parse(string file, string text, IReadOnlyDictionary<string, string> variables, Action<string> log)
    {
        var substituted = ManifestVariables.Substitute(text, variables, out var unknown);
        if (unknown.Count > 0)
        {
            log($"{file}: left as written, since the action declares no such environment variable: {string.Join(", ", unknown.Select(u => "${" + u + "}"))}");
        }

        var objects = KubernetesManifest.Parse(file, substituted);
        log($"{file}: {string.Join(", ", objects.Select(o => o.Describe))}");
        return objects;
    }

    /// <summary>
    /// The chart's objects as <c>helm template</c> renders them (release HelmReleaseName, the action's namespace, HelmValuesFiles
    /// with the variables substituted). Rendering needs no cluster access, so the kubeconfig never reaches helm.
    /// </summary>
    private async Task<IReadOnlyList<ManifestObject>> RenderChartAsync(
        ActionRun run, string root, string chart, string? ns, IReadOnlyDictionary<string, string> variables, Action<string> log, CancellationToken cancellationToken)
    {
        var release = DeployActionParts.Required(run, Provider, "HelmReleaseName");
        var version = await ToolProcess.RunAsync(helmCommand, ["version", "--short"], cancellationToken: cancellationToken);
        if (version.ExitCode == 127)
        {
            throw AwsErrors.HelmNotInstalled(chart);
        }

        var chartPath = Path.GetFullPath(Path.Combine(root, chart.Trim().TrimStart('/')));
        if (!chartPath.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !(Directory.Exists(chartPath) || File.Exists(chartPath)))
        {
            throw AwsErrors.KubernetesManifestNotFound(chart, run.Inputs[0].Name, DeployActionParts.Listing(root));
        }

        var arguments = new List<string> { "template", release, chartPath, "--namespace", ns ?? "default", "--output-dir", Path.Combine(root, ".cairn-helm-rendered") };
        foreach (var values in (run.Configuration.GetValueOrDefault("HelmValuesFiles") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var path = DeployActionParts.FileIn(chartPath, values) ?? DeployActionParts.FileIn(root, values)
                ?? throw AwsErrors.KubernetesManifestNotFound(values, run.Inputs[0].Name, DeployActionParts.Listing(root));
            await File.WriteAllTextAsync(path, ManifestVariables.Substitute(await File.ReadAllTextAsync(path, cancellationToken), variables, out _), cancellationToken);
            arguments.AddRange(["--values", path]);
        }

        log($"Rendering chart {chart} as release {release} with {version.Output.Trim()}");
        var rendered = await ToolProcess.RunAsync(helmCommand, arguments, root, new Dictionary<string, string?> { ["KUBECONFIG"] = "/dev/null" }, cancellationToken);
        if (!rendered.Succeeded)
        {
            throw AwsErrors.HelmTemplateFailed(chart, rendered.LastLine);
        }

        var output = Path.Combine(root, ".cairn-helm-rendered");
        var objects = new List<ManifestObject>();
        foreach (var file in Directory.Exists(output) ? Directory.EnumerateFiles(output, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
        {
            objects.AddRange(Parse(Path.GetRelativePath(output, file), await File.ReadAllTextAsync(file, cancellationToken), variables, log));
        }

        // As helm install does: what others depend on (namespaces, accounts, configuration, services) before the workloads.
        return objects.OrderBy(o => InstallOrder.IndexOf(o.Kind) is var at and >= 0 ? at : InstallOrder.Count).ToList();
    }

    private static readonly List<string> InstallOrder =
    [
        "Namespace", "CustomResourceDefinition", "ServiceAccount", "Secret", "ConfigMap", "PersistentVolumeClaim",
        "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service",
    ];
}
