using System.CommandLine;
using System.Text.Json.Nodes;
using Cairn.Cli.Builds;

namespace Cairn.Cli.Commands;

/// <summary>
/// `cairn secrets`: the secret-hygiene API of a running server (CairnSecrets over JSON 1.1, signed as the caller):
/// `naming set|show|clear` and `report`. Exit status: 0 done, 1 the report has findings at or above --fail-on, 2 no
/// credentials, unreachable, denied or invalid.
/// </summary>
internal static partial class SecretsCommand
{
    private const string Target = "CairnSecrets.";

    public static Command Create()
    {
        var command = new Command("secrets", "Secret hygiene against a running Cairn: naming rules for parameters, and the report of secrets stored or used wrongly.");
        command.Subcommands.Add(Naming());
        command.Subcommands.Add(Report());
        return command;
    }

    private static Command Report()
    {
        var format = new Option<string>("--format") { Description = "table (for people), json (for scripts) or sarif (SARIF 2.1.0 for code scanning).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "sarif");
        var maxAge = new Option<int?>("--max-age-days") { Description = "Flag secrets not changed for longer (default 90)." };
        var unused = new Option<int?>("--unused-days") { Description = "Flag SecureStrings not read for longer (default 90)." };
        var expiring = new Option<int?>("--expiring-days") { Description = "Flag Expiration policies due within this many days (default 7)." };
        var failOn = new Option<string?>("--fail-on") { Description = "Exit 1 when a finding is at least this severe: error, warning or note." };
        failOn.AcceptOnlyFromAmong("error", "warning", "note");
        var report = new Command("report",
            "Findings over the account's parameters, audit trail and projects' buildspecs, each with its evidence and the command that fixes it; never a secret value. "
            + "Needs ssm:DescribeParameters and cloudtrail:LookupEvents.")
        {
            format, maxAge, unused, expiring, failOn,
        };
        var connection = Connection.Add(report);
        report.SetAction(async (result, cancellationToken) =>
        {
            var body = new JsonObject();
            if (result.GetValue(maxAge) is { } m)
            {
                body["MaxAgeDays"] = m;
            }

            if (result.GetValue(unused) is { } u)
            {
                body["UnusedDays"] = u;
            }

            if (result.GetValue(expiring) is { } e)
            {
                body["ExpiringDays"] = e;
            }

            var answer = await connection.CallAsync(result, "GetSecretsReport", body, cancellationToken);
            if (answer is null)
            {
                return 2;
            }

            var version = typeof(SecretsCommand).Assembly.GetName().Version?.ToString() ?? "0.0.0";
            Console.Write(result.GetValue(format) switch
            {
                "json" => Secrets.ReportRenderer.Json(answer) + Environment.NewLine,
                "sarif" => Secrets.ReportRenderer.Sarif(answer, version) + Environment.NewLine,
                _ => Secrets.ReportRenderer.Table(answer),
            });
            return result.GetValue(failOn) is { } threshold && Secrets.ReportRenderer.Reaches(answer, threshold) ? 1 : 0;
        });
        return report;
    }

    internal sealed record Connection(Option<string?> Endpoint, Option<string?> Region, Option<string> Data, Option<string?> Profile)
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

        /// <summary>Calls <paramref name="operation"/> of Cairn's own API; prints the error and returns null when it fails.</summary>
        public Task<JsonObject?> CallAsync(ParseResult result, string operation, JsonObject body, CancellationToken cancellationToken, string name = "cairn secrets") =>
            SendAsync(result, "cairn", Target + operation, body, name, cancellationToken);

        /// <summary>
        /// Signs <paramref name="body"/> for <paramref name="service"/> with the caller's credentials (AWS's variables, a
        /// profile, or the data directory's credentials file) and posts it as <paramref name="target"/>; prints the error
        /// as <paramref name="name"/> and returns null when it fails. The one way `cairn` commands call a server's JSON API.
        /// </summary>
        public async Task<JsonObject?> SendAsync(ParseResult result, string service, string target, JsonObject body, string name, CancellationToken cancellationToken, string? path = null)
        {
            var credentials = LogsCommand.FindCredentials(result.GetValue(Data)!, result.GetValue(Profile), Environment.GetEnvironmentVariable);
            if (credentials is null)
            {
                await Console.Error.WriteLineAsync($"{name}: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE (--profile), "
                    + "or point --data at the server's data directory.");
                return null;
            }

            var url = result.GetValue(Endpoint) ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") ?? "http://127.0.0.1:4566";
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync($"{name}: --endpoint-url '{url}' is not an http(s) URL like http://127.0.0.1:4566.");
                return null;
            }

            var regionName = result.GetValue(Region) ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";
            using var handler = new SocketsHttpHandler { UseProxy = false };
            using var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(120) };
            var client = new AwsApiClient(http, uri, new AwsCredentials(credentials.Value.KeyId, credentials.Value.Secret, credentials.Value.Token), regionName);
            try
            {
                return await client.JsonAsync(service, target, body, cancellationToken, path);
            }
            catch (AwsApiException error)
            {
                await Console.Error.WriteLineAsync($"{name}: {error.Code}: {error.Message}");
                return null;
            }
            catch (HttpRequestException error)
            {
                await Console.Error.WriteLineAsync($"{name}: cannot reach {url}: {error.Message}. Start it with `cairn serve` or pass --endpoint-url.");
                return null;
            }
        }
    }

    private static Command Naming()
    {
        var naming = new Command("naming", "The account's naming rules for parameter names, checked when PutParameter creates a name.");

        var pattern = new Option<string>("--pattern")
        {
            Description = "A template of named parts ({app}_{kind}_{detail}; a part's case: {app:lower}, {kind:title}, {x:upper}) or regex:<expression>.",
            Required = true,
        };
        var mode = new Option<string>("--mode") { Description = "enforce (reject new names that break it) or warn (accept, with an audit note).", DefaultValueFactory = _ => "warn" };
        mode.AcceptOnlyFromAmong("enforce", "warn");
        var prefix = new Option<string?>("--path-prefix") { Description = "Only names under this path, e.g. /prod/ (default /: every name)." };
        var example = new Option<string?>("--example") { Description = "A name that fits, shown to whoever breaks a regex: rule (a template makes its own)." };
        var set = new Command("set", "Set the naming rule for the account (and path prefix), replacing the one there.") { pattern, mode, prefix, example };
        var setConnection = Connection.Add(set);
        set.SetAction(async (result, cancellationToken) =>
        {
            var body = new JsonObject { ["Pattern"] = result.GetValue(pattern), ["Mode"] = result.GetValue(mode) };
            if (result.GetValue(prefix) is { } p)
            {
                body["PathPrefix"] = p;
            }

            if (result.GetValue(example) is { } e)
            {
                body["Example"] = e;
            }

            var answer = await setConnection.CallAsync(result, "PutNamingRule", body, cancellationToken);
            if (answer?["Rule"] is not JsonObject rule)
            {
                return 2;
            }

            Console.WriteLine(RuleLine(rule));
            return 0;
        });

        var show = new Command("show", "List the account's naming rules.");
        var showConnection = Connection.Add(show);
        var json = new Option<bool>("--json") { Description = "Print the rules as JSON." };
        show.Options.Add(json);
        show.SetAction(async (result, cancellationToken) =>
        {
            var answer = await showConnection.CallAsync(result, "GetNamingRules", [], cancellationToken);
            if (answer?["Rules"] is not JsonArray rules)
            {
                return 2;
            }

            if (result.GetValue(json))
            {
                Console.WriteLine(rules.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }

            if (rules.Count == 0)
            {
                Console.WriteLine("no naming rules: any valid name is accepted. Set one with `cairn secrets naming set --pattern '{app}_{kind}_{detail}' --mode warn`.");
            }

            foreach (var rule in rules.OfType<JsonObject>())
            {
                Console.WriteLine(RuleLine(rule));
            }

            return 0;
        });

        var clearPrefix = new Option<string?>("--path-prefix") { Description = "The rule's path prefix (default /)." };
        var clear = new Command("clear", "Remove the naming rule of a path prefix.") { clearPrefix };
        var clearConnection = Connection.Add(clear);
        clear.SetAction(async (result, cancellationToken) =>
        {
            var body = new JsonObject();
            if (result.GetValue(clearPrefix) is { } p)
            {
                body["PathPrefix"] = p;
            }

            if (await clearConnection.CallAsync(result, "DeleteNamingRule", body, cancellationToken) is null)
            {
                return 2;
            }

            Console.WriteLine($"removed the naming rule for {result.GetValue(clearPrefix) ?? "/"}");
            return 0;
        });

        naming.Subcommands.Add(set);
        naming.Subcommands.Add(show);
        naming.Subcommands.Add(clear);
        return naming;
    }

    private static string RuleLine(JsonObject rule) =>
        $"{(string?)rule["PathPrefix"]}  {(string?)rule["Mode"]}  {(string?)rule["Pattern"]}"
        + ((string?)rule["Example"] is { } example ? $"  (e.g. {example})" : string.Empty);
}
