namespace Cairn.Core.Errors;

/// <summary>
/// The deploy actions' failures (Deploy/AWS/ECS onto Docker Swarm, Deploy/AWS/EKS onto Kubernetes), as the action's
/// errorDetails show them. AWS reports an action that failed as JobFailed; where AWS has a text (the image definitions
/// file) it leads, and every message says what is wrong and what to run to fix it.
/// </summary>
public static partial class AwsErrors
{
    /// <summary>The parameter a cluster named ClusterName is registered under.</summary>
    public static string ClusterParameterName(string clusterName) => "/cairn/clusters/" + clusterName;

    public static AwsException DeployClusterNotRegistered(string clusterName, string registerCommand) =>
        new(JobFailed, $"Cluster '{clusterName}' is not registered in Cairn: no parameter {ClusterParameterName(clusterName)} exists in this account and region. "
            + $"Register it with:\n{registerCommand}");

    public static AwsException DeployClusterMalformed(string clusterName, string problem, string registerCommand) =>
        new(JobFailed, $"The registration of cluster '{clusterName}' (parameter {ClusterParameterName(clusterName)}) is not valid: {problem}. "
            + $"Register it again with:\n{registerCommand}");

    public static AwsException DeployClusterWrongKind(string clusterName, string kind, string provider, string wanted) =>
        new(JobFailed, $"Cluster '{clusterName}' is registered as a {kind} cluster, and the {provider} deploy action deploys to {wanted}: "
            + $"use the {(kind == "kubernetes" ? "EKS" : "ECS")} deploy action for it, or set ClusterName to a {wanted} cluster.");

    public static AwsException DeployRegistryPasswordNotSecure(string registry, string parameterName) =>
        new(JobFailed, $"The password of registry {registry} is in parameter {parameterName} as a plain String; Cairn takes registry passwords only from "
            + $"SecureString parameters. Store it encrypted with: aws ssm put-parameter --name {parameterName} --type SecureString --overwrite --value '<password>'");

    public static AwsException DeployRegistryPasswordMissing(string registry, string parameterName) =>
        new(JobFailed, $"The password of registry {registry} should be in parameter {parameterName}, which does not exist. "
            + $"Create it with: aws ssm put-parameter --name {parameterName} --type SecureString --value '<password>'");

    /// <summary>A read the pipeline's role may not make, with the statement that allows it.</summary>
    public static AwsException DeployParameterDenied(string code, string denial, string fix) =>
        new(code, $"{denial}\n{fix}");

    public static AwsException DeployNoInputArtifact(string provider, string holding) =>
        new(JobFailed, $"The {provider} deploy action has no input artifact: give it the artifact (inputArtifacts) that holds {holding}.");

    public static AwsException DeployInputArtifactMissing(string artifactName, string store, string key) =>
        new(JobFailed, $"The input artifact {artifactName} is not in the artifact store {store} (key {key}); run the action that makes it again.");

    public static AwsException ImageDefinitionsNotFound(string fileName, string artifactName, IReadOnlyList<string> present) =>
        new(JobFailed, $"Exception while trying to read the image artifact file from the artifact: {artifactName}. The file {fileName} is not in it"
            + (present.Count == 0 ? " (the artifact is empty)" : $" (it holds: {string.Join(", ", present)})")
            + ". Write it in the build, e.g. printf '[{\"name\":\"%s\",\"imageUri\":\"%s\"}]' <container> <image> > imagedefinitions.json, and list it under the buildspec's artifacts.files; "
            + "or set FileName to its path in the artifact.");

    public static AwsException ImageDefinitionsInvalidJson(string fileName, string problem) =>
        new(JobFailed, $"The image definition file {fileName} contains invalid JSON format: {problem}. "
            + "It must be a JSON array of objects with \"name\" (the container) and \"imageUri\", e.g. [{\"name\":\"web\",\"imageUri\":\"registry:5000/web:1\"}].");

    public static AwsException ImageDefinitionsTooLarge(string fileName, long size) =>
        new(JobFailed, $"The image definition file {fileName} is {size} bytes; the limit is 100 KB. It should hold one small entry per container.");

    public static AwsException ImageDefinitionsNoMatch(string fileName, string serviceName, string containerName, IReadOnlyList<string> names) =>
        new(JobFailed, $"The image definition file {fileName} has no entry named '{containerName}' for service {serviceName}: its entries are {string.Join(", ", names.Select(n => "'" + n + "'"))}. "
            + $"Name the entry '{containerName}' (the service's name, without its stack's prefix), or keep a single entry.");

    public static AwsException DeployConfigurationMissing(string provider, string key) =>
        new(JobFailed, $"The {provider} deploy action's configuration has no {key}; add it to the action's configuration (update-pipeline).");

    public static AwsException DeployTimeoutInvalid(string value) =>
        new(JobFailed, $"DeploymentTimeout is '{value}'; it must be a whole number of minutes from 1 to 60 (60 when not set).");

    public static AwsException DeployClusterUnreachable(string clusterName, string problem) =>
        new(JobFailed, $"Cluster '{clusterName}' cannot be deployed to: {problem}.");

    public static AwsException DeployServiceNotFound(string serviceName, string clusterName, string? meant, string createCommand) =>
        new(JobFailed, $"Service {serviceName} does not exist on cluster '{clusterName}'"
            + (meant is null ? string.Empty : $"; did you mean {meant}?")
            + $" Create it first (the deploy only updates its image), e.g.:\n{createCommand}");

    public static AwsException DeployFailed(string serviceName, string reason) =>
        new(JobFailed, $"Deployment of service {serviceName} failed: {reason}.");
}
