using System.CommandLine;
using Cairn.Cli.Builds;
using Cairn.Cli.Pipelines;
using Cairn.Core.Buildspec;
using Cairn.Core.Pipelines.Lint;
using Cairn.Server.Services.CodePipeline;

namespace Cairn.Cli.Commands;

/// <summary>`cairn pipeline lint &lt;file&gt;`: every mistake in a pipeline declaration before its first execution; exit 1 on errors.</summary>
internal static class PipelineCommand
{
    public static Command Create()
    {
        var command = new Command("pipeline", "Work with CodePipeline pipelines.");
        command.Subcommands.Add(Lint());
        command.Subcommands.Add(Watch());
        return command;
    }

    private static Command Lint()
    {
        var file = new Argument<FileInfo>("file") { Description = "The pipeline: create-pipeline's --cli-input-json file, get-pipeline's output, or the declaration alone." };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var region = new Option<string?>("--region") { Description = "The region the pipeline is for (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1)." };
        var data = new Option<string?>("--data") { Description = "Also check projects, roles, permissions and parameters in this Cairn data directory (default: ./.cairn when it holds one)." };
        var endpoint = new Option<string?>("--endpoint-url", "--endpoint")
        {
            Description = "Check projects, roles, permissions and parameters against a running Cairn instead; credentials from AWS_* variables or --profile.",
        };
        var profile = new Option<string?>("--profile") { Description = "Shared-credentials profile for --endpoint-url." };
        var offline = new Option<bool>("--offline") { Description = "Check the file alone, even when a Cairn is reachable." };
        var lint = new Command("lint", "Check a pipeline declaration for what CodePipeline rejects and what an execution would trip on.")
        {
            file, format, region, data, endpoint, profile, offline,
        };
        lint.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path.FullName, cancellationToken);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"cairn pipeline lint: cannot read {path}: {error.Message}");
                return 2;
            }

            var regionName = result.GetValue(region) ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";
            var dataDirectory = result.GetValue(data);
            if (dataDirectory is not null && !File.Exists(Path.Combine(dataDirectory, "cairn.db")))
            {
                await Console.Error.WriteLineAsync($"cairn pipeline lint: --data {dataDirectory} holds no Cairn database; start `cairn serve --data {dataDirectory}` once, or leave --data out.");
                return 2;
            }

            dataDirectory ??= File.Exists(Path.Combine(".cairn", "cairn.db")) ? ".cairn" : null;
            BuildConnection? connection = null;
            if (!result.GetValue(offline) && (result.GetValue(endpoint) is not null || dataDirectory is not null))
            {
                try
                {
                    connection = await BuildConnection.OpenAsync(dataDirectory ?? ".cairn", result.GetValue(endpoint), result.GetValue(profile), role: null,
                        "cairn-pipeline-lint", TimeSpan.FromMinutes(5), cancellationToken);
                }
                catch (BuildSetupException error)
                {
                    await Console.Error.WriteLineAsync($"cairn pipeline lint: {error.Message}");
                    return 2;
                }
            }

            await using var _ = connection;
            var options = new PipelineLintOptions(input => PipelineDeclarationCheck.Check(input, connection?.Region ?? regionName))
            {
                Environment = connection is null ? null : new ApiPipelineLintEnvironment(connection.CreateClient(), connection.AccountId),
            };
            var outcome = await PipelineLinter.LintAsync(text, options, cancellationToken);
            var name = path.ToString();
            if (result.GetValue(format) == "json")
            {
                Console.Out.Write(BuildspecDiagnosticFormatter.FormatJson(name, [.. outcome.Diagnostics]));
            }
            else
            {
                Console.Out.Write(BuildspecDiagnosticFormatter.FormatText(name, outcome.Diagnostics));
                Console.Out.WriteLine(outcome.Diagnostics.Count == 0
                    ? $"{name}: no problems found" + (connection is null ? " (the file alone: give --endpoint-url or --data to check projects, roles and parameters too)" : string.Empty)
                    : $"{name}: {Plural(outcome.ErrorCount, "error")}, {Plural(outcome.WarningCount, "warning")}");
            }

            return outcome.HasErrors ? 1 : 0;
        });
        return lint;
    }

    private static Command Watch()
    {
        var name = new Argument<string>("name") { Description = "The pipeline's name." };
        var execution = new Option<string?>("--execution-id") { Description = "The execution to follow (default: the newest; waits for the first when the pipeline has not run)." };
        var format = new Option<string?>("--format") { Description = "text (a screen redrawn in place on a terminal, a line per change otherwise), lines, or json (one object per change)." };
        format.AcceptOnlyFromAmong("text", "lines", "json");
        var interval = new Option<double>("--interval") { Description = "Seconds between polls.", DefaultValueFactory = _ => 1.0 };
        var endpoint = new Option<string?>("--endpoint-url", "--endpoint") { Description = "The server's URL (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566)." };
        var region = new Option<string?>("--region") { Description = "The pipeline's region (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1)." };
        var data = new Option<string>("--data") { Description = "Data directory whose credentials file to use when no AWS credentials are set.", DefaultValueFactory = _ => ".cairn" };
        var profile = new Option<string?>("--profile") { Description = "A profile of the shared credentials file (default: AWS_PROFILE)." };
        var watch = new Command("watch",
            "Follow a pipeline execution live: stages, actions with durations, what each started, approval commands with their tokens, the running build's log. "
            + "Exit status: 0 the execution Succeeded, 1 it ended otherwise, 2 no credentials, unreachable or denied, 3 no such pipeline or execution.")
        {
            name, execution, format, interval, endpoint, region, data, profile,
        };
        watch.SetAction(async (result, cancellationToken) =>
        {
            var credentials = LogsCommand.FindCredentials(result.GetValue(data)!, result.GetValue(profile), Environment.GetEnvironmentVariable);
            if (credentials is null)
            {
                await Console.Error.WriteLineAsync("cairn pipeline watch: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE (--profile), "
                    + "or point --data at the server's data directory.");
                return 2;
            }

            var url = result.GetValue(endpoint) ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") ?? "http://127.0.0.1:4566";
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync($"cairn pipeline watch: --endpoint-url '{url}' is not an http(s) URL like http://127.0.0.1:4566.");
                return 2;
            }

            var regionName = result.GetValue(region) ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";
            var mode = result.GetValue(format) switch
            {
                "json" => WatchOutput.Json,
                "lines" => WatchOutput.Lines,
                _ => Console.IsOutputRedirected ? WatchOutput.Lines : WatchOutput.Screen,
            };
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
            var client = new AwsApiClient(http, uri, new AwsCredentials(credentials.Value.KeyId, credentials.Value.Secret, credentials.Value.Token), regionName);
            var request = new WatchRequest(result.GetValue(name)!, result.GetValue(execution), mode, TimeSpan.FromSeconds(Math.Clamp(result.GetValue(interval), 0.2, 60)),
                url.TrimEnd('/'), Ansi.Enabled(Console.IsOutputRedirected, Environment.GetEnvironmentVariable));
            return await new PipelineWatcher(client, Console.Out, Console.Error, TimeProvider.System).RunAsync(request, cancellationToken);
        });
        return watch;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
