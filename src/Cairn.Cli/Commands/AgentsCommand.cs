using System.CommandLine;
using System.Text.Json.Nodes;
using Cairn.Cli.Builds;
using Cairn.Runner.Agents;

namespace Cairn.Cli.Commands;

/// <summary>
/// `cairn agents token create | list | revoke <id>`: build agents of a running server, over its agent admin API (JSON,
/// signed as the caller and authorized by IAM: cairn:CreateAgentRegistrationToken, cairn:ListAgents, cairn:RevokeAgent).
/// Exit status: 0 done, 2 no credentials, unreachable, denied or invalid.
/// </summary>
internal static class AgentsCommand
{
    public static Command Create()
    {
        var command = new Command("agents", "Build agents of a running Cairn: registration tokens, the registered agents, revocation.");
        var token = new Command("token", "One-time registration tokens for `cairn agent --token`.");
        var create = new Command("create", "Create a registration token (valid 24 hours, registers one agent). Only its SHA-256 is stored: copy it now.");
        var createConnection = Connection.Add(create);
        create.SetAction(async (result, cancellationToken) =>
        {
            var answer = await createConnection.CallAsync(result, "CreateRegistrationToken", [], cancellationToken);
            if (answer?["token"] is not JsonValue value)
            {
                return 2;
            }

            Console.WriteLine(value.ToString());
            return 0;
        });
        token.Subcommands.Add(create);
        command.Subcommands.Add(token);

        var list = new Command("list", "List the account's build agents: id, labels, when registered, whether revoked.");
        var listConnection = Connection.Add(list);
        list.SetAction(async (result, cancellationToken) =>
        {
            var answer = await listConnection.CallAsync(result, "ListAgents", [], cancellationToken);
            if (answer?["agents"] is not JsonArray agents)
            {
                return 2;
            }

            if (agents.Count == 0)
            {
                Console.WriteLine("no build agents: register one with `cairn agent --server URL --token $(cairn agents token create)`.");
            }

            foreach (var agent in agents.OfType<JsonObject>())
            {
                var labels = string.Join(',', agent["labels"]?.AsArray().Select(l => (string?)l) ?? []);
                var revoked = (string?)agent["revokedAt"] is { } at ? $"  REVOKED {at}" : "";
                Console.WriteLine($"{agent["id"]}  {agent["name"]}  labels=[{labels}]  registered {agent["createdAt"]}{revoked}");
            }

            return 0;
        });
        command.Subcommands.Add(list);

        var id = new Argument<string>("agent-id") { Description = "The agent's id, as `cairn agents list` shows it." };
        var revoke = new Command("revoke", "Revoke an agent: its next call is refused; a build it holds fails when its lease runs out.") { id };
        var revokeConnection = Connection.Add(revoke);
        revoke.SetAction(async (result, cancellationToken) =>
        {
            var answer = await revokeConnection.CallAsync(result, "RevokeAgent", new JsonObject { ["agentId"] = result.GetValue(id) }, cancellationToken);
            if (answer is null)
            {
                return 2;
            }

            Console.WriteLine($"revoked {result.GetValue(id)}");
            return 0;
        });
        command.Subcommands.Add(revoke);
        return command;
    }

    private sealed record Connection(Option<string?> Endpoint, Option<string?> Region, Option<string> Data, Option<string?> Profile)
    {
        public static Connection Add(Command command)
        {
            var connection = new Connection(
                new Option<string?>("--endpoint-url", "--endpoint") { Description = "The server's URL (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566)." },
                new Option<string?>("--region") { Description = "The region (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1)." },
                new Option<string>("--data") { Description = "Data directory whose credentials file to use when no AWS credentials are set.", DefaultValueFactory = _ => ".cairn" },
                new Option<string?>("--profile") { Description = "A profile of the shared credentials file (default: AWS_PROFILE)." });
            command.Options.Add(connection.Endpoint);
            command.Options.Add(connection.Region);
            command.Options.Add(connection.Data);
            command.Options.Add(connection.Profile);
            return connection;
        }

        /// <summary>Calls <paramref name="operation"/>; prints the error and returns null when it fails.</summary>
        public async Task<JsonObject?> CallAsync(ParseResult result, string operation, JsonObject body, CancellationToken cancellationToken)
        {
            const string Name = "cairn agents";
            var credentials = LogsCommand.FindCredentials(result.GetValue(Data)!, result.GetValue(Profile), Environment.GetEnvironmentVariable);
            if (credentials is null)
            {
                await Console.Error.WriteLineAsync($"{Name}: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE (--profile), "
                    + "or point --data at the server's data directory.");
                return null;
            }

            var url = result.GetValue(Endpoint) ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") ?? "http://127.0.0.1:4566";
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync($"{Name}: --endpoint-url '{url}' is not an http(s) URL like http://127.0.0.1:4566.");
                return null;
            }

            var regionName = result.GetValue(Region) ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";
            using var handler = new SocketsHttpHandler { UseProxy = false };
            using var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(120) };
            var client = new AwsApiClient(http, uri, new AwsCredentials(credentials.Value.KeyId, credentials.Value.Secret, credentials.Value.Token), regionName);
            try
            {
                return await client.JsonAsync("codebuild", AgentProtocol.AdminTargetPrefix + operation, body, cancellationToken, AgentProtocol.AdminPath);
            }
            catch (AwsApiException error)
            {
                await Console.Error.WriteLineAsync($"{Name}: {error.Code}: {error.Message}");
                return null;
            }
            catch (HttpRequestException error)
            {
                await Console.Error.WriteLineAsync($"{Name}: cannot reach {url}: {error.Message}. Start it with `cairn serve` or pass --endpoint-url.");
                return null;
            }
        }
    }
}
