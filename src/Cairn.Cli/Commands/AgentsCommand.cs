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
        var createConnection = SecretsCommand.Connection.Add(create);
        create.SetAction(async (result, cancellationToken) =>
        {
            var answer = await CallAsync(createConnection, result, "CreateRegistrationToken", [], cancellationToken);
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
        var listConnection = SecretsCommand.Connection.Add(list);
        list.SetAction(async (result, cancellationToken) =>
        {
            var answer = await CallAsync(listConnection, result, "ListAgents", [], cancellationToken);
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
        var revokeConnection = SecretsCommand.Connection.Add(revoke);
        revoke.SetAction(async (result, cancellationToken) =>
        {
            var answer = await CallAsync(revokeConnection, result, "RevokeAgent", new JsonObject { ["agentId"] = result.GetValue(id) }, cancellationToken);
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

    private static Task<JsonObject?> CallAsync(SecretsCommand.Connection connection, ParseResult result, string operation, JsonObject body, CancellationToken cancellationToken) =>
        connection.SendAsync(result, "codebuild", AgentProtocol.AdminTargetPrefix + operation, body, "cairn agents", cancellationToken, AgentProtocol.AdminPath);
}
