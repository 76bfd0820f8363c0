using System.Globalization;
using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Pipelines;
using Cairn.Deploy.Swarm;
using Cairn.Runner.Masking;
using Cairn.Storage.Artifacts;

namespace Cairn.Application.Pipelines.Actions.Deploy;

/// <summary>
/// Deploy/AWS/ECS/1 onto Docker Swarm: ClusterName names a registered swarm (<see cref="ClusterRegistration"/>),
/// ServiceName a swarm service, FileName (imagedefinitions.json) the image definitions file in the input artifact.
/// The service's image is updated with a rolling, health-gated update under the cluster's registry logins (read as the
/// pipeline's role from SecureString parameters, handed to docker in a throwaway DOCKER_CONFIG), and Swarm rolls it
/// back when a new task fails or turns unhealthy. Succeeds with the image the service runs (digest included when the
/// registry gave one); fails with why, naming the image the service was rolled back to.
/// </summary>
public sealed class SwarmDeployRunner(IArtifactStore artifacts, RoleParameterReader parameters, TimeProvider time, string dockerCommand = "docker") : IPipelineActionRunner
{
    private const string Provider = "ECS";

    public bool CanRun(ActionTypeId type) =>
        type is { Category: "Deploy", Owner: "AWS", Provider: Provider, Version: "1" };

    public Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken) =>
        DeployActionParts.RunMaskedAsync(run, progress, (masker, log) => DeployAsync(run, progress, masker, log, cancellationToken));

    private async Task<ActionOutcome> DeployAsync(ActionRun run, IActionProgress progress, SecretMasker masker, Action<string> log, CancellationToken cancellationToken)
    {
        var clusterName = Required(run, "ClusterName");
        var serviceName = Required(run, "ServiceName");
        var fileName = run.Configuration.TryGetValue("FileName", out var named) && named.Length > 0 ? named : ImageDefinition.DefaultFileName;
        var timeout = DeploymentTimeout(run);

        var input = run.Inputs.Count > 0 ? run.Inputs[0] : throw AwsErrors.DeployNoInputArtifact(Provider, "the image definitions file");
        var definitions = await ReadDefinitionsAsync(input, fileName, cancellationToken);

        var cluster = await ReadClusterAsync(run, clusterName, cancellationToken);
        log($"Cluster {clusterName}: Docker Swarm at {cluster.DockerHost}");

        // Resolve which entry first with the registry-free information we have, then read only the login its image needs.
        var registries = new Dictionary<string, RegistryCredentials>(StringComparer.OrdinalIgnoreCase);
        using var config = DockerConfigDirectory.Create(registries);
        var swarm = new SwarmClient(cluster.DockerHost, config.Path, dockerCommand);
        if (await swarm.CheckManagerAsync(cancellationToken) is { } unreachable)
        {
            throw AwsErrors.DeployClusterUnreachable(clusterName, unreachable);
        }

        var service = await swarm.InspectAsync(serviceName, cancellationToken)
            ?? throw AwsErrors.DeployServiceNotFound(serviceName, clusterName,
                RoleNames.Closest(serviceName, await swarm.ServiceNamesAsync(cancellationToken)), CreateCommand(cluster, serviceName, definitions));
        var definition = ImageDefinition.Match(definitions, fileName, serviceName, service.ContainerName);
        log($"Image definition '{definition.Name}': {definition.ImageUri}");

        var registry = RegistryOf(definition.ImageUri);
        using var loggedIn = await LoginConfigAsync(run, cluster, registry, masker, log, cancellationToken);
        var deployer = new SwarmDeployment(new SwarmClient(cluster.DockerHost, loggedIn?.Path ?? config.Path, dockerCommand), time);
        await progress.ReportAsync(null, null, $"Updating service {serviceName} to {definition.ImageUri}", cancellationToken);
        var result = await deployer.RunAsync(service, definition.ImageUri, timeout, log, cancellationToken);
        if (!result.Succeeded)
        {
            throw AwsErrors.DeployFailed(serviceName, result.Reason ?? "Swarm gave no reason");
        }

        var summary = $"Deployed {result.Image} to service {serviceName} on cluster {clusterName}"
            + (result.PreviousImage is { } previous && previous != result.Image ? $" (was {previous})" : string.Empty);
        log(summary);
        return ActionOutcome.Success(summary, [], new Dictionary<string, string>());
    }

    private Task<IReadOnlyList<ImageDefinition>> ReadDefinitionsAsync(ActionArtifact input, string fileName, CancellationToken cancellationToken) =>
        DeployActionParts.WithInputAsync(artifacts, input, directory => ImageDefinition.ReadAsync(directory, fileName, input.Name, cancellationToken), cancellationToken);

    private async Task<SwarmCluster> ReadClusterAsync(ActionRun run, string clusterName, CancellationToken cancellationToken) =>
        (SwarmCluster)await DeployActionParts.ReadClusterAsync(parameters, run, clusterName, ClusterRegistration.SwarmType, Provider, "Docker Swarm", cancellationToken);

    /// <summary>A DOCKER_CONFIG with the login of <paramref name="registry"/> when the cluster names it; null when it does not.</summary>
    private async Task<DockerConfigDirectory?> LoginConfigAsync(
        ActionRun run, SwarmCluster cluster, string registry, SecretMasker masker, Action<string> log, CancellationToken cancellationToken)
    {
        var entry = cluster.Registries.FirstOrDefault(r => string.Equals(r.Key, registry, StringComparison.OrdinalIgnoreCase)
            || (registry == DockerHub && r.Key is "index.docker.io" or "https://index.docker.io/v1/"));
        if (entry.Value is not { } login)
        {
            log($"No login for registry {registry} in the cluster's registration: the swarm pulls anonymously");
            return null;
        }

        var password = await parameters.ReadAsync(run.Role, login.PasswordParameter, cancellationToken)
            ?? throw AwsErrors.DeployRegistryPasswordMissing(registry, login.PasswordParameter);
        masker.AddSecret(password.Value);
        if (password.Type != "SecureString")
        {
            throw AwsErrors.DeployRegistryPasswordNotSecure(registry, login.PasswordParameter);
        }

        log($"Registry {registry}: logging in as {login.UserName} (password from {login.PasswordParameter})");
        var key = registry == DockerHub ? "https://index.docker.io/v1/" : registry;
        return DockerConfigDirectory.Create(new Dictionary<string, RegistryCredentials> { [key] = new(login.UserName, password.Value) });
    }

    private const string DockerHub = "docker.io";

    /// <summary>The registry an image reference names: its first component when that is a host (has '.' or ':', or is localhost), else Docker Hub.</summary>
    public static string RegistryOf(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return DockerHub;
        }

        var first = image[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? first : DockerHub;
    }

    private static string Required(ActionRun run, string key) => DeployActionParts.Required(run, Provider, key);

    private static TimeSpan DeploymentTimeout(ActionRun run)
    {
        if (!run.Configuration.TryGetValue("DeploymentTimeout", out var text) || string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.FromMinutes(60);
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes is >= 1 and <= 60
            ? TimeSpan.FromMinutes(minutes)
            : throw AwsErrors.DeployTimeoutInvalid(text);
    }

    private static string CreateCommand(SwarmCluster cluster, string serviceName, IReadOnlyList<ImageDefinition> definitions)
    {
        var image = (definitions.FirstOrDefault(d => d.Name == serviceName) ?? definitions[0]).ImageUri;
        var host = cluster.DockerHost == "unix:///var/run/docker.sock" ? string.Empty : $"DOCKER_HOST={cluster.DockerHost} ";
        return $"{host}docker service create --name {serviceName} --with-registry-auth --publish mode=host,published=<port>,target=<container port> "
            + $"--update-failure-action rollback --update-monitor 10s {image}";
    }
}
