using System.Globalization;
using System.Text.Json;
using Cairn.Runner.Processes;

namespace Cairn.Deploy.Swarm;

/// <summary>
/// One Docker Swarm manager as the docker CLI reaches it (DOCKER_HOST), with the deploy's own DOCKER_CONFIG so
/// <c>--with-registry-auth</c> sends exactly the cluster's registry logins to the swarm. Every call is a docker command;
/// failures come back as results or sentences, never as exceptions, except cancellation.
/// </summary>
public sealed class SwarmClient(string dockerHost, string dockerConfig, string dockerCommand = "docker")
{
    public string DockerHost { get; } = dockerHost;

    /// <summary>Null when the engine answers and is a swarm manager; otherwise what is wrong and how to fix it.</summary>
    public async Task<string?> CheckManagerAsync(CancellationToken cancellationToken)
    {
        var info = await RunAsync(["info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"], cancellationToken);
        if (!info.Succeeded)
        {
            return info.ExitCode == 127
                ? $"the docker CLI ('{dockerCommand}') was not found on the Cairn host: install it (apt-get install docker.io)"
                : $"the Docker engine at {DockerHost} does not answer ({info.LastLine}): start dockerd there, or correct dockerHost in the cluster's registration";
        }

        var parts = info.Output.Trim().Split(' ');
        if (parts[0] != "active")
        {
            return $"the Docker engine at {DockerHost} is not in swarm mode (its swarm state is '{parts[0]}'): run `docker swarm init --advertise-addr <its address>` on it";
        }

        return parts.Length > 1 && parts[1] == "true"
            ? null
            : $"the Docker engine at {DockerHost} is a swarm worker, not a manager: point dockerHost at a manager (docker node ls there lists them)";
    }

    /// <summary>The service, or null when the swarm has no service of that name.</summary>
    public async Task<SwarmService?> InspectAsync(string service, CancellationToken cancellationToken)
    {
        var inspect = await RunAsync(["service", "inspect", "--format", "{{json .}}", service], cancellationToken);
        if (!inspect.Succeeded)
        {
            if (inspect.Output.Contains("no such service", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            throw new InvalidOperationException($"docker service inspect {service} on {DockerHost} failed: {inspect.LastLine}");
        }

        return SwarmService.Parse(inspect.Output);
    }

    /// <summary>The names of the swarm's services, for "did you mean".</summary>
    public async Task<IReadOnlyList<string>> ServiceNamesAsync(CancellationToken cancellationToken)
    {
        var list = await RunAsync(["service", "ls", "--format", "{{.Name}}"], cancellationToken);
        return list.Succeeded ? list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
    }

    /// <summary>
    /// Starts a rolling update of the service's image with the registry logins, rolling back by itself when a new task
    /// fails (its health check included) within <paramref name="monitor"/> of starting; returns at once (--detach).
    /// </summary>
    public Task<ToolResult> UpdateImageAsync(string service, string image, TimeSpan monitor, CancellationToken cancellationToken) =>
        RunAsync(
        [
            "service", "update", "--detach", "--quiet", "--with-registry-auth", "--image", image,
            "--update-failure-action", "rollback", "--update-monitor", Seconds(monitor),
            "--rollback-monitor", Seconds(monitor), service,
        ], cancellationToken);

    /// <summary>Asks the swarm to roll the service back to its previous spec (detached).</summary>
    public Task<ToolResult> RollbackAsync(string service, CancellationToken cancellationToken) =>
        RunAsync(["service", "rollback", "--detach", "--quiet", service], cancellationToken);

    /// <summary>The service's tasks, newest first as docker lists them, with their state and error.</summary>
    public async Task<IReadOnlyList<SwarmTask>> TasksAsync(string service, CancellationToken cancellationToken)
    {
        var ps = await RunAsync(["service", "ps", "--no-trunc", "--format", "{{json .}}", service], cancellationToken);
        if (!ps.Succeeded)
        {
            return [];
        }

        return ps.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{'))
            .Select(SwarmTask.Parse)
            .ToList();
    }

    private Task<ToolResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ToolProcess.RunAsync(dockerCommand, arguments, environment: new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = DockerHost,
            ["DOCKER_CONFIG"] = dockerConfig,
            ["DOCKER_CONTEXT"] = null,
            ["DOCKER_CLI_HINTS"] = "false",
        }, cancellationToken: cancellationToken);

    private static string Seconds(TimeSpan span) => ((int)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";
}

/// <summary>What a deploy needs of a swarm service: its image (as the spec pins it), the one before, and the update's status.</summary>
/// <param name="UpdateState">UpdateStatus.State: updating, paused, completed, rollback_started, rollback_paused, rollback_completed; null before any update.</param>
public sealed record SwarmService(
    string Id, string Name, string Image, string? PreviousImage, long Version,
    string? UpdateState, string? UpdateMessage, DateTimeOffset? UpdateStartedAt, string? StackNamespace)
{
    public static SwarmService Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var spec = root.GetProperty("Spec");
        string? update = null, message = null;
        DateTimeOffset? started = null;
        if (root.TryGetProperty("UpdateStatus", out var status) && status.ValueKind == JsonValueKind.Object)
        {
            update = Text(status, "State");
            message = Text(status, "Message");
            started = status.TryGetProperty("StartedAt", out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : null;
        }

        string? previous = null;
        if (root.TryGetProperty("PreviousSpec", out var previousSpec) && previousSpec.ValueKind == JsonValueKind.Object)
        {
            previous = ImageOf(previousSpec);
        }

        string? stack = null;
        if (spec.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object)
        {
            stack = Text(labels, "com.docker.stack.namespace");
        }

        return new SwarmService(
            root.GetProperty("ID").GetString()!, spec.GetProperty(nameof(Name)).GetString()!, ImageOf(spec) ?? string.Empty, previous,
            root.GetProperty(nameof(Version)).GetProperty("Index").GetInt64(), update, message, started, stack);
    }

    /// <summary>The name an image definition's <c>name</c> matches: the service's name without its stack's prefix.</summary>
    public string ContainerName => StackNamespace is { } stack && Name.StartsWith(stack + "_", StringComparison.Ordinal) ? Name[(stack.Length + 1)..] : Name;

    private static string? ImageOf(JsonElement spec) =>
        spec.TryGetProperty("TaskTemplate", out var template) && template.TryGetProperty("ContainerSpec", out var container)
            ? Text(container, "Image")
            : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>One task of a service as <c>docker service ps</c> shows it.</summary>
public sealed record SwarmTask(string Id, string Name, string Image, string DesiredState, string CurrentState, string Error)
{
    public static SwarmTask Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
        return new SwarmTask(Text("ID"), Text("Name"), Text("Image"), Text("DesiredState"), Text("CurrentState"), Text("Error").Trim('"'));
    }
}
