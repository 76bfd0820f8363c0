using System.CommandLine;
using System.Text.Json.Nodes;

namespace Cairn.Cli.Commands;

/// <summary>
/// `cairn iam suggest-policy`: the least-privilege policy of a role or user from the audit trail of a running server
/// (CairnSecrets.GetPolicySuggestion, signed as the caller). Exit status: 0 done, 1 the dry-run found an audited call
/// the suggestion would not allow, 2 no credentials, unreachable, denied or invalid.
/// </summary>
internal static class IamCommand
{
    public static Command Create()
    {
        var command = new Command("iam", "IAM helpers against a running Cairn.");
        command.Subcommands.Add(SuggestPolicy());
        return command;
    }

    private static Command SuggestPolicy()
    {
        var role = new Option<string?>("--role") { Description = "The role whose audited calls (any of its sessions, e.g. builds) make the policy." };
        var user = new Option<string?>("--user") { Description = "The user whose audited calls make the policy." };
        var since = new Option<string>("--since") { Description = "The window: a duration like 30d or 12h, or an ISO 8601 time.", DefaultValueFactory = _ => "30d" };
        var format = new Option<string>("--format") { Description = "table (for people) or json (the server's answer, for scripts).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var suggest = new Command("suggest-policy",
            "From the audit trail, the actions and resources a role or user actually used, as a least-privilege policy beside what its policies grant, "
            + "with the aws commands that swap them and a dry-run of every audited call. Needs iam:GetRole/ListAttachedRolePolicies/ListRolePolicies "
            + "(or the user's) and cloudtrail:LookupEvents.")
        {
            role, user, since, format,
        };
        var connection = SecretsCommand.Connection.Add(suggest);
        suggest.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(role) is null == result.GetValue(user) is null)
            {
                await Console.Error.WriteLineAsync("cairn iam suggest-policy: give exactly one of --role NAME or --user NAME.");
                return 2;
            }

            var body = new JsonObject { ["Since"] = result.GetValue(since) };
            if (result.GetValue(role) is { } r)
            {
                body["RoleName"] = r;
            }

            if (result.GetValue(user) is { } u)
            {
                body["UserName"] = u;
            }

            var answer = await connection.CallAsync(result, "GetPolicySuggestion", body, cancellationToken, "cairn iam suggest-policy");
            if (answer is null)
            {
                return 2;
            }

            Console.Write(result.GetValue(format) == "json"
                ? answer.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine
                : Iam.SuggestionRenderer.Table(answer));
            return (int?)answer["NotAllowed"] > 0 ? 1 : 0;
        });
        return suggest;
    }
}
