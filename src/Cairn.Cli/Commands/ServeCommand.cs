using System.CommandLine;
using Cairn.Server.Hosting;

namespace Cairn.Cli.Commands;

/// <summary>`cairn serve`: run the server in the foreground until SIGTERM or Ctrl-C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data directory (database, master key, credentials, logs).", DefaultValueFactory = _ => ".cairn" };
        var port = new Option<int>("--port") { Description = "Port for every API.", DefaultValueFactory = _ => 4566 };
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
        var accessLog = new Option<bool>("--access-log") { Description = "Print one line per API request: client, principal, operation, HTTP status, error code, milliseconds, request id." };
        var command = new Command("serve", "Run the Cairn server. Prints a line when a build starts and finishes; exit 2 when the port is in use.")
        {
            data, port, host, account, parameterCache, auditRetention, accessLog,
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
                AccessLog = result.GetValue(accessLog),
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

            CairnServer server;
            try
            {
                server = await CairnServer.StartAsync(options, cancellationToken: cancellationToken);
            }
            catch (PortInUseException error)
            {
                await Console.Error.WriteLineAsync($"cairn serve: {error.Message}");
                return 2;
            }

            await using var running = server;
            Console.WriteLine($"Cairn is listening on {server.Endpoint.ToString().TrimEnd('/')}");
            Console.WriteLine($"  account {options.AccountId}, data in {Path.GetFullPath(options.DataDirectory)}");
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
}
