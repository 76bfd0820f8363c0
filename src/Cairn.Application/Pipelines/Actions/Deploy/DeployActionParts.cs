using Cairn.Core.Errors;
using Cairn.Runner.Masking;
using Cairn.Storage.Artifacts;

namespace Cairn.Application.Pipelines.Actions.Deploy;

/// <summary>What the deploy runners share: a required configuration key, the input artifact extracted, the cluster read as the pipeline's role.</summary>
internal static class DeployActionParts
{
    /// <summary>
    /// Runs a deploy with a masker of its own: every log line and a failure's message are masked with what the deploy
    /// adds to it (registry passwords, kubeconfig tokens); an <see cref="AwsException"/> becomes the action's failure.
    /// </summary>
    public static async Task<ActionOutcome> RunMaskedAsync(
        ActionRun run, IActionProgress progress, Func<SecretMasker, Action<string>, Task<ActionOutcome>> deploy)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(progress);
        var masker = new SecretMasker();
        try
        {
            return await deploy(masker, line => progress.Log(masker.MaskText(line)));
        }
        catch (AwsException failure)
        {
            return ActionOutcome.Failure(failure.Code, masker.MaskText(failure.Message));
        }
    }

    public static string Required(ActionRun run, string provider, string key) =>
        run.Configuration.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw AwsErrors.DeployConfigurationMissing(provider, key);

    /// <summary>Extracts <paramref name="input"/> into a temporary directory, runs <paramref name="read"/> on it, and removes the directory whatever happens.</summary>
    public static async Task<T> WithInputAsync<T>(IArtifactStore artifacts, ActionArtifact input, Func<string, Task<T>> read, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("cairn-deploy-input-").FullName;
        try
        {
            try
            {
                await artifacts.ExtractAsync(input.Location, directory, cancellationToken);
            }
            catch (FileNotFoundException)
            {
                throw AwsErrors.DeployInputArtifactMissing(input.Name, input.Location.Store, input.Location.Key);
            }

            return await read(directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The files under <paramref name="root"/> (relative, sorted, the first 20), for "it holds: ..." in a not-found message.</summary>
    public static IReadOnlyList<string> Listing(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Order(StringComparer.Ordinal)
            .Take(20)
            .ToList();

    /// <summary>The full path of <paramref name="fileName"/> inside <paramref name="root"/>, or null when it is outside it or missing.</summary>
    public static string? FileIn(string root, string fileName)
    {
        var path = Path.GetFullPath(Path.Combine(root, fileName.Trim().TrimStart('/')));
        return path.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(path) ? path : null;
    }

    /// <summary>The cluster registered as <paramref name="clusterName"/>, read as the pipeline's role; a missing, malformed or other-kind registration fails with its fix.</summary>
    public static async Task<ClusterRegistration> ReadClusterAsync(
        RoleParameterReader parameters, ActionRun run, string clusterName, string expectedType, string provider, string wanted, CancellationToken cancellationToken)
    {
        var read = await parameters.ReadAsync(run.Role, AwsErrors.ClusterParameterName(clusterName), cancellationToken)
            ?? throw AwsErrors.DeployClusterNotRegistered(clusterName, ClusterRegistration.RegisterCommand(clusterName, expectedType));
        var cluster = ClusterRegistration.Parse(clusterName, read.Value, expectedType);
        var type = cluster is KubernetesCluster ? ClusterRegistration.KubernetesType : ClusterRegistration.SwarmType;
        return type == expectedType ? cluster : throw AwsErrors.DeployClusterWrongKind(clusterName, type, provider, wanted);
    }
}
