using System.Text.RegularExpressions;

namespace Cairn.Core.Errors;

/// <summary>The failures of Deploy/AWS/EKS onto a Kubernetes cluster: each names the object, what the API server said, and the fix.</summary>
public static partial class AwsErrors
{
    public static AwsException KubernetesNoManifestConfiguration() =>
        new(JobFailed, "The EKS deploy action's configuration names neither ManifestFiles nor HelmChartLocation: set ManifestFiles to the manifest files in the "
            + "input artifact (comma-separated paths, e.g. k8s/deployment.yaml,k8s/service.yaml), or HelmChartLocation and HelmReleaseName for a Helm chart.");

    public static AwsException HelmNotInstalled(string chart) =>
        new(JobFailed, $"HelmChartLocation is '{chart}', and Cairn deploys Helm charts by rendering them with the helm CLI, which is not installed on the Cairn host "
            + "(Debian 12 does not package it). Either install helm there (https://helm.sh/docs/intro/install/), or render the chart in the build with "
            + "`helm template <release> <chart> -n <namespace> -f values.yaml > k8s/rendered.yaml`, list the file in the buildspec's artifacts, and set "
            + "ManifestFiles to k8s/rendered.yaml instead of HelmChartLocation.");

    public static AwsException HelmTemplateFailed(string chart, string output) =>
        new(JobFailed, $"helm template of chart '{chart}' failed: {output}. Run the same `helm template` locally on the chart to see the error, and fix the chart or HelmValuesFiles.");

    public static AwsException EnvironmentVariableSecretUnsupported(string name) =>
        new(JobFailed, $"Environment variable {name} is of type SECRETS_MANAGER; Cairn's EKS deploy substitutes PLAINTEXT values only, since a secret substituted into "
            + "a manifest ends up readable in the cluster's object. Put the secret in a Kubernetes Secret and reference it from the pod (env.valueFrom.secretKeyRef).");

    public static AwsException KubernetesManifestNotFound(string fileName, string artifactName, IReadOnlyList<string> present) =>
        new(JobFailed, $"The manifest file {fileName} named in ManifestFiles is not in the input artifact {artifactName}"
            + (present.Count == 0 ? " (the artifact is empty)" : $" (it holds: {string.Join(", ", present)})")
            + ". List it under the buildspec's artifacts.files (or in the source repository), or correct ManifestFiles: paths are relative to the artifact's root, comma-separated.");

    public static AwsException KubernetesManifestInvalid(string fileName, string problem) =>
        new(JobFailed, $"The manifest file {fileName} cannot be applied: {problem}. Check it with `kubectl apply --dry-run=client -f {fileName}`.");

    public static AwsException KubernetesNoObjects(string files) =>
        new(JobFailed, $"The manifest files {files} hold no Kubernetes objects (every document is empty); write the Deployment and Service to apply in them.");

    public static AwsException KubernetesForbidden(string what, string where, string message, string? user, IReadOnlyList<string> applied)
    {
        var match = ForbiddenShape().Match(message);
        var fix = match.Success
            ? $"Grant the kubeconfig's user that right, e.g. kubectl create role cairn-deploy --verb=get,list,watch,create,patch,update "
                + $"--resource={match.Groups["resource"].Value}{(match.Groups["group"].Value.Length > 0 ? "." + match.Groups["group"].Value : string.Empty)}"
                + (match.Groups["ns"].Success ? $" -n {match.Groups["ns"].Value}" : string.Empty)
                + $" && kubectl create rolebinding cairn-deploy --role=cairn-deploy --user={match.Groups["user"].Value}"
                + (match.Groups["ns"].Success ? $" -n {match.Groups["ns"].Value}" : string.Empty)
                + " (a cluster-scoped kind needs a clusterrole and clusterrolebinding)"
            : $"Grant the kubeconfig's user{(user is null ? string.Empty : $" ({user})")} get, list, watch, create, patch and update on the manifest's kinds with a Role and RoleBinding in the namespace";
        return new(JobFailed, $"The cluster refused to apply {what} ({where}): {message}. {fix}; `kubectl auth can-i patch <resource> -n <namespace> --as <user>` checks it."
            + AppliedBefore(applied));
    }

    public static AwsException KubernetesObjectInvalid(string what, string where, string message, IReadOnlyList<string> causes, IReadOnlyList<string> applied) =>
        new(JobFailed, $"The cluster rejected {what} ({where}) as invalid: {message}"
            + (causes.Count == 0 ? string.Empty : $" [{string.Join("; ", causes)}]")
            + ". Fix the manifest; `kubectl apply --dry-run=server -f <file>` against the cluster shows the same check." + AppliedBefore(applied));

    public static AwsException KubernetesNamespaceMissing(string what, string ns, string message, IReadOnlyList<string> applied) =>
        new(JobFailed, $"{what} could not be applied: {message}. Create the namespace first (kubectl create namespace {ns}), put a Namespace object before it in "
            + "the manifests, or set the action's Namespace to one that exists." + AppliedBefore(applied));

    public static AwsException KubernetesKindUnknown(string kind, string apiVersion, string where, IReadOnlyList<string> applied) =>
        new(JobFailed, $"The cluster does not serve kind {kind} in apiVersion {apiVersion} ({where}). Check the apiVersion (`kubectl api-resources` lists what the "
            + "cluster serves, e.g. Deployment is apps/v1); a custom resource needs its CustomResourceDefinition installed first." + AppliedBefore(applied));

    public static AwsException KubernetesApplyFailed(string what, string where, int status, string message, IReadOnlyList<string> applied) =>
        new(JobFailed, $"Applying {what} ({where}) failed with HTTP {status}: {message}. Retry the stage; if it fails again, apply the file with kubectl to see the cluster's answer."
            + AppliedBefore(applied));

    public static AwsException KubernetesRolloutFailed(string what, string? ns, string reason, string kind) =>
        new(JobFailed, $"The rollout of {what} failed: {reason}. Kubernetes keeps the previous pods serving; "
            + $"`kubectl{(ns is null ? string.Empty : " -n " + ns)} describe {kind.ToLowerInvariant()}/{what.Split('/')[1].Split(' ')[0]}` and `kubectl get events` show more, "
            + $"and `kubectl{(ns is null ? string.Empty : " -n " + ns)} rollout undo {kind.ToLowerInvariant()}/{what.Split('/')[1].Split(' ')[0]}` goes back to the previous version.");

    public static AwsException KubernetesRolloutTimedOut(int minutes, IReadOnlyList<string> pending) =>
        new(JobFailed, $"The rollout did not complete within {minutes} minutes: {string.Join("; ", pending)}. "
            + "Raise the action's timeoutInMinutes if it is only slow, or look at the pods (kubectl describe pod) for why they do not become ready.");

    private static string AppliedBefore(IReadOnlyList<string> applied) =>
        applied.Count == 0 ? " Nothing was applied." : $" Applied before it (left as applied): {string.Join(", ", applied)}.";

    [GeneratedRegex("User \"(?<user>[^\"]+)\" cannot (?<verb>[a-z]+) resource \"(?<resource>[^\"]+)\" in API group \"(?<group>[^\"]*)\"(?: in the namespace \"(?<ns>[^\"]+)\")?")]
    private static partial Regex ForbiddenShape();
}
