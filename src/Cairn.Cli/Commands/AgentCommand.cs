using System.CommandLine;
using System.Text.Json;
using Cairn.Cli.Builds;
using Cairn.Runner.Agents;
using Cairn.Runner.Builds;
using Cairn.Runner.Kubernetes;

namespace Cairn.Cli.Commands;

/// <summary>
/// `cairn agent --server URL --token TOKEN [--labels a,b] [--executor host|docker|kubernetes [--kubeconfig F] [--namespace N]]`: registers with a one-time token (the
/// agent id and secret are kept in --work/agent.json, owner-only, and reused on the next start), then claims and runs the
/// server's builds one at a time until stopped. Exit status: 0 stopped, 2 refused (bad token, revoked) or invalid.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var server = new Option<string[]>("--server")
        {
            Description = "The Cairn server's URL, e.g. http://cairn:4566. Several (repeated, or comma-separated) for servers sharing one PostgreSQL database: "
                + "the agent moves to the next when one cannot be reached.",
            Required = true,
        };
        var token = new Option<string?>("--token")
        {
            Description = "A registration token from `cairn agents token create` (or CAIRN_AGENT_TOKEN, kept off the process list). Used only while --work "
                + "holds no identity yet: the agent keeps its id and secret there and reuses them on every start.",
        };
        var labels = new Option<string?>("--labels") { Description = "Comma-separated labels this agent offers (a build asking CAIRN_AGENT_LABELS=linux,docker needs both)." };
        var executor = new Option<string>("--executor") { Description = "host (a shell on this machine), docker (a container of the build's image) or kubernetes (a Job per build).", DefaultValueFactory = _ => "host" };
        executor.AcceptOnlyFromAmong("host", "docker", "kubernetes");
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "With --executor kubernetes: the kubeconfig file (default: the pod's service account when the agent runs in the cluster)." };
        var kubeNamespace = new Option<string?>("--namespace") { Description = "With --executor kubernetes: the namespace builds run in (default: the kubeconfig context's, else default)." };
        var work = new Option<string>("--work") { Description = "Work directory: the agent's identity, its builds' checkouts and its projects' caches (_cache).", DefaultValueFactory = _ => ".cairn-agent" };
        var name = new Option<string?>("--name") { Description = "A name for `cairn agents list` (default: the host name)." };
        var command = new Command("agent", "Run builds for a Cairn server on this machine (a build agent).") { server, token, labels, executor, kubeconfig, kubeNamespace, work, name };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(server)!, result.GetValue(token), result.GetValue(labels), new ExecutorChoice(result.GetValue(executor)!, result.GetValue(kubeconfig), result.GetValue(kubeNamespace)),
            result.GetValue(work)!, result.GetValue(name), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string[] serverUrls, string? token, string? labelList, ExecutorChoice executor, string work, string? name, CancellationToken cancellationToken)
    {
        var servers = new List<Uri>();
        foreach (var serverUrl in serverUrls.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Uri.TryCreate(serverUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync($"cairn agent: --server '{serverUrl}' is not an http(s) URL like http://cairn:4566.");
                return 2;
            }

            servers.Add(parsed);
        }

        if (servers.Count == 0)
        {
            await Console.Error.WriteLineAsync("cairn agent: --server needs a URL like http://cairn:4566.");
            return 2;
        }

        var server = servers[0];

        var directory = Path.GetFullPath(work);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var identityFile = Path.Combine(directory, "agent.json");
        var labels = (labelList ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var handler = new SocketsHttpHandler { UseProxy = false };
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(90) };
        AgentRegistration registration;
        try
        {
            token = string.IsNullOrWhiteSpace(token) ? Environment.GetEnvironmentVariable("CAIRN_AGENT_TOKEN") : token;
            if (File.Exists(identityFile))
            {
                registration = JsonSerializer.Deserialize<AgentRegistration>(await File.ReadAllTextAsync(identityFile, cancellationToken), AgentProtocol.Json)!;
                if (!string.IsNullOrWhiteSpace(token))
                {
                    // A container restarted with the same token: the token was spent by the first start.
                    Console.WriteLine($"cairn agent: using the identity in {identityFile} ({registration.AgentId}); the registration token is not needed again "
                        + "(delete that file to register anew)");
                }
            }
            else if (!string.IsNullOrWhiteSpace(token))
            {
                registration = await AgentClient.RegisterAsync(http, servers, new AgentRegistrationRequest(token, name ?? Environment.MachineName, labels), cancellationToken);
                await File.WriteAllTextAsync(identityFile, JsonSerializer.Serialize(registration, AgentProtocol.Json), cancellationToken);
                File.SetUnixFileMode(identityFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                Console.WriteLine($"cairn agent: registered as {registration.AgentId} with labels [{string.Join(',', registration.Labels)}]");
            }
            else
            {
                await Console.Error.WriteLineAsync($"cairn agent: no identity in {identityFile}: register once with --token <token from `cairn agents token create`> "
                    + "(or CAIRN_AGENT_TOKEN).");
                return 2;
            }

            var client = new AgentClient(http, servers, registration.AgentId, registration.AgentSecret) { Say = line => Console.WriteLine("cairn agent: " + line) };
            using var jobs = executor.Name == "kubernetes"
                ? KubernetesBuildJobs.Connect(new KubernetesExecutorSettings(executor.Kubeconfig, executor.Namespace ?? "", registration.AgentId))
                : null;
            var settings = new BuildAgentSettings(server, Path.Combine(directory, "builds"))
            {
                Executor = executor.Name switch { "docker" => AgentExecutor.Docker, "kubernetes" => AgentExecutor.Kubernetes, _ => AgentExecutor.Host },
                Pod = jobs is null ? null : new KubernetesPlacement(jobs),
                Secrets = build => Secrets(http, client.Server, build),
            };
            using var reaping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var reaper = Task.CompletedTask;
            if (jobs is not null)
            {
                // The first sweep also proves the RBAC grants before any build is claimed.
                foreach (var deleted in await jobs.ReapOrphansAsync(cancellationToken))
                {
                    Console.WriteLine($"cairn agent: deleted orphaned {deleted} (its build is not running)");
                }

                Console.WriteLine($"cairn agent: builds run as Kubernetes Jobs in namespace {jobs.Settings.Namespace}");
                reaper = jobs.ReapPeriodicallyAsync(line => Console.WriteLine("cairn agent: " + line), reaping.Token);
            }

            Console.WriteLine($"cairn agent: {registration.AgentId} waiting for builds from {string.Join(", ", servers)}");
            await new BuildAgentHost(client, settings, new BuildExecutor(), line => Console.WriteLine("cairn agent: " + line)).RunAsync(cancellationToken);
            await reaping.CancelAsync();
            await reaper;
            return 0;
        }
        catch (KubernetesAccessException refused)
        {
            await Console.Error.WriteLineAsync($"cairn agent: {refused.Message}");
            return 2;
        }
        catch (AgentRequestException refused)
        {
            await Console.Error.WriteLineAsync($"cairn agent: {refused.Code}: {refused.Message}");
            return 2;
        }
        catch (HttpRequestException error)
        {
            await Console.Error.WriteLineAsync($"cairn agent: cannot reach {string.Join(" or ", servers)}: {error.Message}");
            return 2;
        }
    }

    /// <summary>The build's parameters and secrets, read through the server's APIs as the build's role (its temporary credentials).</summary>
    private static SsmSecretSource Secrets(HttpClient http, Uri server, AgentAssignment build)
    {
        var credentials = new AwsCredentials(build.Credentials.AccessKeyId, build.Credentials.SecretAccessKey, build.Credentials.SessionToken);
        var client = new AwsApiClient(http, server, credentials, build.Region);
        return new SsmSecretSource(client, client, build.AccountId);
    }

    /// <summary>--executor and, for kubernetes, where the cluster is.</summary>
    private sealed record ExecutorChoice(string Name, string? Kubeconfig, string? Namespace);
}
