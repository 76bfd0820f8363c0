using System.CommandLine;
using System.Text.Json.Nodes;
using Cairn.Cli.Builds;
using Cairn.Core.Buildspec;
using Cairn.Core.Errors;
using Cairn.Core.Parameters.Naming;

namespace Cairn.Cli.Commands;

/// <summary>`cairn lint &lt;file&gt;`: report what CodeBuild would reject and what would not do what was meant; exit 1 on errors.</summary>
internal static class LintCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The buildspec to check (relative paths in its commands are checked against its directory)." };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var data = new Option<string?>("--data") { Description = "Check that parameter-store names exist in this Cairn data directory's Parameter Store (default: ./.cairn when it holds one)." };
        var endpoint = new Option<string?>("--endpoint-url", "--endpoint")
        {
            Description = "Check parameter-store names against a running Cairn instead; credentials from AWS_* variables or --profile. --endpoint is the same.",
        };
        var profile = new Option<string?>("--profile") { Description = "Shared-credentials profile for --endpoint-url." };
        var namingRule = new Option<string?>("--naming-rule")
        {
            Description = "Check parameter-store and secrets-manager names against this naming rule ({app}_{kind}_{detail} or regex:...) "
                + "instead of the server's (`cairn secrets naming show`), e.g. offline.",
        };
        var command = new Command("lint", "Check a buildspec for errors and mistakes.") { file, format, data, endpoint, profile, namingRule };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            string yaml;
            try
            {
                yaml = await File.ReadAllTextAsync(path.FullName, cancellationToken);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"cairn lint: cannot read {path}: {error.Message}");
                return 2;
            }

            // Parameter existence is checked only when a store is reachable: --endpoint-url, --data, or ./.cairn holding a database.
            var dataDirectory = result.GetValue(data);
            if (dataDirectory is not null && !File.Exists(Path.Combine(dataDirectory, "cairn.db")))
            {
                await Console.Error.WriteLineAsync($"cairn lint: --data {dataDirectory} holds no Cairn database; start `cairn serve --data {dataDirectory}` once, or leave --data out.");
                return 2;
            }

            dataDirectory ??= File.Exists(Path.Combine(".cairn", "cairn.db")) ? ".cairn" : null;
            BuildConnection? store = null;
            if (result.GetValue(endpoint) is not null || dataDirectory is not null)
            {
                try
                {
                    store = await BuildConnection.OpenAsync(dataDirectory ?? ".cairn", result.GetValue(endpoint), result.GetValue(profile), role: null,
                        "cairn-lint", TimeSpan.FromMinutes(5), cancellationToken);
                }
                catch (BuildSetupException error)
                {
                    await Console.Error.WriteLineAsync($"cairn lint: {error.Message}");
                    return 2;
                }
            }

            await using var connection = store;
            IReadOnlyList<NamingRule>? rules = null;
            if (result.GetValue(namingRule) is { } pattern)
            {
                try
                {
                    NamingPattern.Parse(pattern);
                }
                catch (AwsException error)
                {
                    await Console.Error.WriteLineAsync($"cairn lint: --naming-rule: {error.Message}");
                    return 2;
                }

                rules = [new NamingRule(string.Empty, "/", pattern, NamingMode.Warn, null, DateTimeOffset.UnixEpoch, "cairn lint")];
            }
            else if (connection is not null)
            {
                rules = await ServerNamingRulesAsync(connection, cancellationToken);
            }

            var options = new LintOptions
            {
                SourceDirectory = path.DirectoryName,
                Parameters = connection is null ? null : new ApiParameterExistence(connection.CreateClient(), connection.Secrets),
                NamingRules = rules,
            };
            var lint = await BuildspecLinter.LintAsync(yaml, options, cancellationToken);
            var name = path.ToString();
            if (result.GetValue(format) == "json")
            {
                Console.Out.Write(BuildspecDiagnosticFormatter.FormatJson(name, lint.Diagnostics));
            }
            else
            {
                Console.Out.Write(BuildspecDiagnosticFormatter.FormatText(name, lint.Diagnostics));
                Console.Out.WriteLine(lint.Diagnostics.Count == 0
                    ? $"{name}: no problems found"
                    : $"{name}: {Plural(lint.ErrorCount, "error")}, {Plural(lint.WarningCount, "warning")}");
            }

            return lint.HasErrors ? 1 : 0;
        });
        return command;
    }

    /// <summary>The account's naming rules from the server (CairnSecrets.GetNamingRules); none when the caller may not read them.</summary>
    private static async Task<IReadOnlyList<NamingRule>?> ServerNamingRulesAsync(BuildConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await connection.CreateClient().JsonAsync("cairn", "CairnSecrets.GetNamingRules", [], cancellationToken);
            return [.. (answer["Rules"] as JsonArray ?? []).OfType<JsonObject>().Select(r => new NamingRule(
                string.Empty, (string?)r["PathPrefix"] ?? "/", (string)r["Pattern"]!,
                NamingModes.Parse((string?)r["Mode"] ?? "warn") ?? NamingMode.Warn, (string?)r["Example"], DateTimeOffset.UnixEpoch, string.Empty))];
        }
        catch (AwsApiException error)
        {
            await Console.Error.WriteLineAsync($"cairn lint: naming rules not checked: {error.Code}: {error.Message}");
            return null;
        }
        catch (HttpRequestException error)
        {
            await Console.Error.WriteLineAsync($"cairn lint: naming rules not checked: {error.Message}");
            return null;
        }
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
