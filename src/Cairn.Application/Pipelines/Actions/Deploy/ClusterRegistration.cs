using System.Text.Json;
using Cairn.Core.Errors;

namespace Cairn.Application.Pipelines.Actions.Deploy;

/// <summary>
/// A cluster a deploy action names by ClusterName, registered the AWS-native way: a Parameter Store parameter
/// <c>/cairn/clusters/&lt;ClusterName&gt;</c> holding JSON, read as the pipeline's role.
/// <list type="bullet">
/// <item>Docker Swarm: <c>{"type":"swarm","dockerHost":"unix:///var/run/docker.sock","registries":{"host:port":{"username":"u","passwordParameter":"/p"}}}</c>,
/// a String (it holds no secret: each registry password is its own SecureString, read only when an image comes from that registry).</item>
/// <item>Kubernetes: <c>{"type":"kubernetes","kubeconfig":"..."}</c>, a SecureString (a kubeconfig carries credentials).</item>
/// </list>
/// </summary>
public abstract record ClusterRegistration(string Name)
{
    public const string SwarmType = "swarm";

    public const string KubernetesType = "kubernetes";

    public string ParameterName => AwsErrors.ClusterParameterName(Name);

    /// <summary>The registration in <paramref name="json"/>, or DeployClusterMalformed saying what is wrong and how to register it.</summary>
    public static ClusterRegistration Parse(string name, string json, string expectedType)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException error)
        {
            throw Malformed($"its value is not JSON ({error.Message.Split(" Path:")[0].TrimEnd('.')})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("its value must be a JSON object");
            }

            var type = Text(root, "type");
            return type switch
            {
                SwarmType => ParseSwarm(root),
                KubernetesType => new KubernetesCluster(name, Text(root, "kubeconfig") is { Length: > 0 } kubeconfig ? kubeconfig : throw Malformed("\"kubeconfig\" is missing or empty")),
                null => throw Malformed("\"type\" is missing; it is \"swarm\" or \"kubernetes\""),
                _ => throw Malformed($"\"type\" is \"{type}\"; it is \"swarm\" or \"kubernetes\""),
            };
        }

        SwarmCluster ParseSwarm(JsonElement root)
        {
            var host = Text(root, "dockerHost") ?? "unix:///var/run/docker.sock";
            if (!host.StartsWith("unix://", StringComparison.Ordinal) && !host.StartsWith("tcp://", StringComparison.Ordinal) && !host.StartsWith("ssh://", StringComparison.Ordinal))
            {
                throw Malformed($"\"dockerHost\" is \"{host}\"; it is a DOCKER_HOST address such as unix:///var/run/docker.sock or tcp://manager:2376");
            }

            var registries = new Dictionary<string, RegistryLogin>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("registries", out var listed) && listed.ValueKind != JsonValueKind.Null)
            {
                if (listed.ValueKind != JsonValueKind.Object)
                {
                    throw Malformed("\"registries\" must be an object whose keys are registry hosts (host:port)");
                }

                foreach (var registry in listed.EnumerateObject())
                {
                    if (registry.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw Malformed($"registry \"{registry.Name}\" must be an object with \"username\" and \"passwordParameter\"");
                    }

                    if (registry.Value.TryGetProperty("password", out _))
                    {
                        throw Malformed($"registry \"{registry.Name}\" has a \"password\": a password never goes in the registration; put it in a SecureString parameter and name it in \"passwordParameter\"");
                    }

                    var user = Text(registry.Value, "username") ?? throw Malformed($"registry \"{registry.Name}\" has no \"username\"");
                    var parameter = Text(registry.Value, "passwordParameter") ?? throw Malformed($"registry \"{registry.Name}\" has no \"passwordParameter\" (the SecureString parameter that holds its password)");
                    registries[registry.Name] = new RegistryLogin(user, parameter);
                }
            }

            return new SwarmCluster(name, host, registries);
        }

        AwsException Malformed(string problem) => AwsErrors.DeployClusterMalformed(name, problem, RegisterCommand(name, expectedType));
    }

    /// <summary>The aws CLI command that registers a cluster of <paramref name="type"/> under <paramref name="name"/>.</summary>
    public static string RegisterCommand(string name, string type) => type == KubernetesType
        ? $"aws ssm put-parameter --name {AwsErrors.ClusterParameterName(name)} --type SecureString --overwrite --value \"$(jq -n --rawfile k ~/.kube/config '{{type:\"kubernetes\",kubeconfig:$k}}')\""
        : $"aws ssm put-parameter --name {AwsErrors.ClusterParameterName(name)} --type String --overwrite --value '{{\"type\":\"swarm\",\"dockerHost\":\"unix:///var/run/docker.sock\","
            + "\"registries\":{\"127.0.0.1:5000\":{\"username\":\"ci\",\"passwordParameter\":\"/cairn/registry/password\"}}}'"
            + "\n(on the manager, first: docker swarm init --advertise-addr <its address>; the password goes in its own SecureString: "
            + "aws ssm put-parameter --name /cairn/registry/password --type SecureString --value '<password>')";

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A Docker Swarm reached through a manager's DOCKER_HOST, with the registries its images come from.</summary>
public sealed record SwarmCluster(string Name, string DockerHost, IReadOnlyDictionary<string, RegistryLogin> Registries) : ClusterRegistration(Name);

/// <summary>A Kubernetes cluster reached through a kubeconfig (held in memory only).</summary>
public sealed record KubernetesCluster(string Name, string Kubeconfig) : ClusterRegistration(Name)
{
    /// <summary>Never the kubeconfig: records print their members.</summary>
    public override string ToString() => $"KubernetesCluster {Name}";
}

/// <summary>A registry's user and the SecureString parameter that holds its password.</summary>
public sealed record RegistryLogin(string UserName, string PasswordParameter);
