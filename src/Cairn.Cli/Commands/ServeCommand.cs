using System.CommandLine;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Runner.Kubernetes;
using Cairn.Server.Hosting;
using Cairn.Server.Services.CodeBuild;
using Cairn.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cairn.Cli.Commands;

/// <summary>`cairn serve`: run the server in the foreground until SIGTERM or Ctrl-C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data directory (database, master key, credentials, logs).", DefaultValueFactory = _ => ".cairn" };
        var port = new Option<int>("--port")
        {
            Description = "Port for every API.",
            DefaultValueFactory = _ => 4566,
            CustomParser = result =>
            {
                // System.CommandLine's own message names the CLR type ("as expected type 'System.Int32'").
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
                if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value <= 65535)
                {
                    return value;
                }

                result.AddError($"--port takes a port number from 0 to 65535, such as 4566; '{text}' is not one.");
                return 0;
            },
        };
        var host = new Option<string>("--host") { Description = "Address to listen on; 127.0.0.1 keeps it to this machine.", DefaultValueFactory = _ => "127.0.0.1" };
        var account = new Option<string>("--account") { Description = "The 12-digit account id.", DefaultValueFactory = _ => CairnServerOptions.DefaultAccountId };
        var parameterCache = new Option<int>("--parameter-cache-mb")
        {
            Description = "Megabytes of memory for caching parameters, so GetParameter(s) skip the database; always current (0: off).",
            DefaultValueFactory = _ => (int)(CairnServerOptions.DefaultParameterCacheBytes / (1024 * 1024)),
        };
        var auditRetention = new Option<int>("--audit-retention-days")
        {
            Description = "Days the audit log keeps each entry (as CloudTrail's event history; 0: forever).",
            DefaultValueFactory = _ => CairnServerOptions.DefaultAuditRetentionDays,
        };
        var artifactRetention = new Option<int>("--pipeline-artifact-retention-days")
        {
            Description = "Days the artifacts of an ended pipeline execution are kept; each stage's latest and latest successful execution keep theirs (0: forever, as an S3 bucket without lifecycle rules).",
            DefaultValueFactory = _ => CairnServerOptions.DefaultPipelineArtifactRetentionDays,
        };
        var isolation = new Option<HostBuildIsolation>("--host-build-isolation")
        {
            Description = "How host (LINUX_EC2) builds are kept from the server's keys and database: sandbox (bubblewrap, as an unprivileged user) or none (only on a single user's own machine).",
            DefaultValueFactory = _ => HostBuildIsolation.Sandbox,
        };
        var buildUser = new Option<string>("--build-user")
        {
            Description = "The unprivileged user sandboxed host builds run as when the server runs as root (name or UID:GID).",
            DefaultValueFactory = _ => new CodeBuildOptions().BuildUser,
        };
        var sourceRoots = new Option<string[]>("--source-root")
        {
            Description = "A host directory builds may take their source from (a directory path or file:// git URL under it); repeatable. Default: the current directory.",
            AllowMultipleArgumentsPerToken = false,
        };
        var database = new Option<string?>("--database")
        {
            Description = "An Npgsql connection string (Host=...;Database=...;Username=...;Password=...): keep every store in that PostgreSQL database, "
                + "shared by any number of servers, instead of the data directory's SQLite file. Also CAIRN_DATABASE.",
        };
        var accessLog = new Option<bool>("--access-log") { Description = "Print one line per API request: client, principal, operation, HTTP status, error code, milliseconds, request id." };
        var command = new Command("serve", "Run the Cairn server. Prints a line when a build starts and finishes; exit 2 when the port is in use.")
        {
            data, port, host, account, database, parameterCache, auditRetention, artifactRetention, accessLog, isolation, buildUser, sourceRoots,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new CairnServerOptions
            {
                DataDirectory = result.GetValue(data)!,
                Port = result.GetValue(port),
                Host = result.GetValue(host)!,
                AccountId = result.GetValue(account)!,
                ParameterCacheBytes = result.GetValue(parameterCache) * 1024L * 1024,
                AuditRetention = TimeSpan.FromDays(result.GetValue(auditRetention)),
                PipelineArtifactRetention = TimeSpan.FromDays(result.GetValue(artifactRetention)),
                AccessLog = result.GetValue(accessLog),
                Database = result.GetValue(database),
            }.WithEnvironment(Environment.GetEnvironmentVariable);
            try
            {
                options.Validate();
            }
            catch (ArgumentException error)
            {
                await Console.Error.WriteLineAsync($"cairn serve: {error.Message}");
                return 2;
            }

            var builds = CodeBuildOptions.FromEnvironment(Environment.GetEnvironmentVariable);
            builds = builds with
            {
                HostBuildIsolation = result.GetResult(isolation) is null ? builds.HostBuildIsolation : result.GetValue(isolation),
                BuildUser = result.GetResult(buildUser) is null ? builds.BuildUser : result.GetValue(buildUser)!,
                SourceRoots = result.GetValue(sourceRoots) is { Length: > 0 } roots ? roots.Select(Path.GetFullPath).ToArray() : builds.SourceRoots,
            };
            using var pods = KubernetesPods(out var podProblem);
            if (podProblem is not null)
            {
                await Console.Error.WriteLineAsync($"cairn serve: {podProblem}");
                return 2;
            }

            builds = builds with { ContainerPods = pods is null ? null : new KubernetesPlacement(pods) };
            using var reaping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _ = pods?.ReapPeriodicallyAsync(line => Console.WriteLine("cairn serve: kubernetes executor: " + line), reaping.Token);
            CairnServer server;
            try
            {
                server = await CairnServer.StartAsync(options, services =>
                {
                    services.RemoveAll<CodeBuildOptions>();
                    services.AddSingleton(builds);
                }, cancellationToken: cancellationToken);
            }
            catch (PortInUseException error)
            {
                await Console.Error.WriteLineAsync($"cairn serve: {error.Message}");
                return 2;
            }
            catch (PostgresStorageException error)
            {
                await Console.Error.WriteLineAsync($"cairn serve: {error.Message.ReplaceLineEndings(" ")}");
                return 2;
            }

            await using var running = server;
            Console.WriteLine($"Cairn is listening on {server.Endpoint.ToString().TrimEnd('/')}");
            Console.WriteLine($"  account {options.AccountId}, data in {Path.GetFullPath(options.DataDirectory)}");
            if (server.Services.GetService<PostgresDatabase>() is { } postgres)
            {
                Console.WriteLine($"  state in PostgreSQL {postgres.Describe}");
            }

            Console.WriteLine(server.Root.CredentialsFile is { } file
                ? $"  root credentials: {Path.GetFullPath(file)} (profile '{RootCredentials.ProfileName}')"
                : "  root credentials: from CAIRN_ROOT_ACCESS_KEY_ID / CAIRN_ROOT_SECRET_ACCESS_KEY");
            Console.WriteLine($"  try: AWS_SHARED_CREDENTIALS_FILE={(server.Root.CredentialsFile is { } path ? Path.GetFullPath(path) : "...")} aws --profile {RootCredentials.ProfileName} --region {options.DefaultRegion} --endpoint-url {server.Endpoint.ToString().TrimEnd('/')} ssm describe-parameters");
            Console.WriteLine(options.AccessLog
                ? "  logging every request (client, principal, operation, status, error, ms, request id) and each build's start and end"
                : "  logging each build's start and end; --access-log adds a line per request");
            try
            {
                await server.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// CAIRN_BUILD_EXECUTOR=kubernetes: LINUX_CONTAINER builds run as Jobs in CAIRN_KUBERNETES_NAMESPACE of the cluster
    /// CAIRN_KUBECONFIG names (the server's service account when unset), labelled with this host's name for the reaper.
    /// </summary>
    private static KubernetesBuildJobs? KubernetesPods(out string? problem)
    {
        problem = null;
        if (Environment.GetEnvironmentVariable("CAIRN_BUILD_EXECUTOR") is not { Length: > 0 } executor || executor == "docker")
        {
            return null;
        }

        if (executor != "kubernetes")
        {
            problem = $"CAIRN_BUILD_EXECUTOR={executor} is not an executor: use docker (the default) or kubernetes.";
            return null;
        }

        try
        {
            return KubernetesBuildJobs.Connect(new KubernetesExecutorSettings(
                Environment.GetEnvironmentVariable("CAIRN_KUBECONFIG") is { Length: > 0 } file ? file : null,
                Environment.GetEnvironmentVariable("CAIRN_KUBERNETES_NAMESPACE") ?? "",
                "server-" + Environment.MachineName));
        }
        catch (KubernetesAccessException refused)
        {
            problem = refused.Message;
            return null;
        }
    }
}
