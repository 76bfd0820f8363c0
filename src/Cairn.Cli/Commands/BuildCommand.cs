using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Cli.Builds;
using Cairn.Core.Builds;
using Cairn.Core.Buildspec;
using Cairn.Server.Services.CodeBuild.Queue;

namespace Cairn.Cli.Commands;

/// <summary>
/// `cairn build`: runs a buildspec on this host with CodeBuild's semantics, live log, phase table, exit 0 only when
/// the build SUCCEEDED. Parameters are read through Cairn's API (in-process over --data, or --endpoint-url) as the
/// build's identity (root, or --role via STS AssumeRole).
/// </summary>
internal static partial class BuildCommand
{
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;
    public const int ExitStopped = 130;

    public static Command Create()
    {
        var source = new Option<string>("--source") { Description = "Source directory the commands run in (CODEBUILD_SRC_DIR).", DefaultValueFactory = _ => "." };
        var buildspec = new Option<string?>("--buildspec") { Description = "Buildspec file; default buildspec.yml (or .yaml) in the source directory." };
        var envFile = new Option<string?>("--env-file") { Description = "KEY=VALUE lines that override every other variable (like StartBuild's environmentVariablesOverride)." };
        var role = new Option<string?>("--role") { Description = "IAM role name (or ARN) the build runs as: its temporary credentials read the parameters and reach the build." };
        var data = new Option<string>("--data") { Description = "Cairn data directory (as for `cairn serve`); also holds local artifacts, cache and build numbers.", DefaultValueFactory = _ => ".cairn" };
        var endpoint = new Option<string?>("--endpoint-url", "--endpoint")
        {
            Description = "A running Cairn (e.g. http://127.0.0.1:4566) instead of the data directory; credentials from AWS_* variables or --profile. --endpoint is the same.",
        };
        var profile = new Option<string?>("--profile") { Description = "Shared-credentials profile for --endpoint-url." };
        var project = new Option<string?>("--project") { Description = "Project name for the build id; default the source directory's name." };
        var timeout = new Option<int>("--timeout") { Description = "Build timeout in minutes (5-2160, as CodeBuild).", DefaultValueFactory = _ => 60 };
        var format = new Option<string>("--format") { Description = "text, or json to print the result as JSON on stdout (the log then goes to stderr).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var artifacts = new Option<string?>("--artifacts") { Description = "Where artifacts go; default <data>/builds/<project>/<number>/artifacts." };
        var unmask = new Option<bool>("--unmask-string-parameters")
        {
            Description = "Leave String parameters' values readable in the log (CodeBuild masks every Parameter Store value); SecureStrings stay masked.",
        };
        // `cairn build path/to/app`, as `docker build .`: the source directory as the command's argument too.
        var sourceArgument = new Argument<string?>("source")
        {
            Description = "The source directory, as --source (e.g. cairn build path/to/app); default the current directory.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("build", "Run a buildspec locally with AWS CodeBuild's semantics.")
        {
            sourceArgument, source, buildspec, envFile, role, data, endpoint, profile, project, timeout, format, artifacts, unmask,
        };
        command.SetAction((result, cancellationToken) => RunAsync(new Arguments(
            result.GetValue(source)!, result.GetValue(sourceArgument), result.GetResult(source) is { Implicit: false }, result.GetValue(buildspec), result.GetValue(envFile), result.GetValue(role), result.GetValue(data)!,
            result.GetValue(endpoint), result.GetValue(profile), result.GetValue(project), result.GetValue(timeout),
            result.GetValue(format) == "json", result.GetValue(artifacts), result.GetValue(unmask)), cancellationToken));
        return command;
    }

    private sealed record Arguments(
        string Source, string? SourceArgument, bool SourceOptionGiven, string? Buildspec, string? EnvFile, string? Role, string Data, string? Endpoint, string? Profile,
        string? Project, int TimeoutMinutes, bool Json, string? Artifacts, bool UnmaskStringParameters);

    private static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        StartupTrace.Mark("arguments parsed");
        if (SourceArgumentProblem(arguments) is { } problem)
        {
            return await UsageAsync(problem);
        }

        var sourceDirectory = Path.GetFullPath(arguments.SourceArgument ?? arguments.Source);
        if (!Directory.Exists(sourceDirectory))
        {
            return await UsageAsync($"source directory {sourceDirectory} does not exist.");
        }

        if (arguments.TimeoutMinutes is < 5 or > 2160)
        {
            return await UsageAsync($"--timeout {arguments.TimeoutMinutes}: CodeBuild accepts 5 to 2160 minutes.");
        }

        var buildspecPath = arguments.Buildspec is { } given ? Path.GetFullPath(given)
            : new[] { "buildspec.yml", "buildspec.yaml" }.Select(n => Path.Combine(sourceDirectory, n)).FirstOrDefault(File.Exists)
              ?? Path.Combine(sourceDirectory, "buildspec.yml");
        // The build store opens while the buildspec is read and parsed and the connection (if any) starts: the build is
        // stored before it runs. Not for a buildspec that is not there: a typo must not leave a data directory behind.
        var storage = File.Exists(buildspecPath)
            ? Task.Run(() => LocalBuildStorage.Open(arguments.Data, Environment.GetEnvironmentVariable), CancellationToken.None)
            : null;
        string yaml;
        IReadOnlyList<KeyValuePair<string, string>> overrides;
        try
        {
            yaml = await File.ReadAllTextAsync(buildspecPath, cancellationToken);
            overrides = arguments.EnvFile is { } file ? EnvFile.Parse(await File.ReadAllLinesAsync(file, cancellationToken), file) : [];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return await UsageAsync($"cannot read {error.Message.Replace("Could not find file", "file", StringComparison.Ordinal)}");
        }
        catch (FormatException error)
        {
            return await UsageAsync(error.Message);
        }

        var parsed = BuildspecParser.Parse(yaml);
        StartupTrace.Mark("buildspec read and parsed");
        var projectName = arguments.Project ?? ProjectName(sourceDirectory);
        var uuid = Guid.NewGuid().ToString("D");
        BuildConnection? connection = null;
        try
        {
            if (arguments.Endpoint is not null || arguments.Role is not null || NeedsCairn(parsed.Document))
            {
#pragma warning disable CA2000 // disposed by the await using below; the catch only sees OpenAsync's own failure, when there is nothing to dispose
                connection = await BuildConnection.OpenAsync(
                    arguments.Data, arguments.Endpoint, arguments.Profile, arguments.Role, $"cairn-build-{uuid}",
                    TimeSpan.FromMinutes(arguments.TimeoutMinutes), cancellationToken);
#pragma warning restore CA2000
            }
        }
        catch (BuildSetupException error)
        {
            return await UsageAsync(error.Message);
        }

        await using (connection)
        {
            LocalBuildStorage opened;
            try
            {
                opened = await (storage ?? Task.Run(() => LocalBuildStorage.Open(arguments.Data, Environment.GetEnvironmentVariable), CancellationToken.None));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or Storage.Sqlite.SqliteException)
            {
                return await UsageAsync($"cannot store the build in the data directory {Path.GetFullPath(arguments.Data)}: {error.Message}");
            }

            StartupTrace.Mark("build store open");

            using (opened)
            {
                var build = new LocalBuild(arguments.Data, sourceDirectory, buildspecPath, parsed, overrides, connection)
                {
                    ProjectName = projectName,
                    Uuid = uuid,
                    TimeoutMinutes = arguments.TimeoutMinutes,
                    Artifacts = arguments.Artifacts,
                    UnmaskStringParameters = arguments.UnmaskStringParameters,
                    RoleArn = arguments.Role,
                    AwsCommand = connection is not null && arguments.Endpoint is not null ? $"aws --endpoint-url {connection.EndpointText}" : "aws --endpoint-url http://127.0.0.1:4566",
                };
                return await BuildAsync(arguments, build, opened, cancellationToken);
            }
        }
    }

    private static async Task<int> BuildAsync(Arguments arguments, LocalBuild build, LocalBuildStorage storage, CancellationToken cancellationToken)
    {
        await using var logStream = arguments.Json ? Console.OpenStandardError() : Console.OpenStandardOutput();
        var colour = Ansi.Enabled(arguments.Json ? Console.IsErrorRedirected : Console.IsOutputRedirected, Environment.GetEnvironmentVariable);
        using var stop = new CancellationTokenSource();
        var signals = 0;
        void Stop(PosixSignalContext context)
        {
            // The first Ctrl-C (or SIGTERM) stops the build and still prints the table; a second one exits at once.
            context.Cancel = Interlocked.Increment(ref signals) == 1;
            stop.Cancel();
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var console = new ConsoleLogRenderer(logStream, colour);
        // The lifecycle's sink masks everything once: the log, the console, the phases' contexts and hints, the exported variables.
        var result = await build.RunAsync(storage, console, stop.Token, cancellationToken);
        console.Finish();
        StartupTrace.Mark("build ended");
        await logStream.WriteAsync(Encoding.UTF8.GetBytes(PhaseTable.Render(result, colour)), CancellationToken.None);
        await logStream.FlushAsync(CancellationToken.None);
        if (arguments.Json)
        {
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(Encoding.UTF8.GetBytes(BuildResultJson.Write(result)), CancellationToken.None);
        }

        return result.Status switch
        {
            BuildStatuses.Succeeded => 0,
            BuildStatuses.Stopped => ExitStopped,
            _ => ExitFailed,
        };
    }

    /// <summary>True when the build needs Cairn's API: Parameter Store or Secrets Manager values, or commands that call the aws CLI.</summary>
    internal static bool NeedsCairn(BuildspecDocument? document)
    {
        if (document is null)
        {
            return false;
        }

        return document.Env.ParameterStore.Count > 0
            || document.Env.SecretsManager.Count > 0
            || document.Env.Variables.Any(v => v.References.Any(r => r.Kind != DynamicReferenceKind.SecretsManager))
            || document.Phases.SelectMany(p => p.Commands.Concat(p.Finally)).Any(c => AwsCli().IsMatch(c.Text));
    }

    /// <summary>A CodeBuild project name from the directory name: letters, digits, - and _, starting with a letter or digit.</summary>
    internal static string ProjectName(string directory)
    {
        var name = InvalidProjectCharacters().Replace(Path.GetFileName(directory.TrimEnd('/')), "-").Trim('-', '_');
        return name.Length < 2 ? "local" : name.Length > 150 ? name[..150] : name;
    }

    /// <summary>
    /// What is wrong with the source given as the command's argument: given twice, or not a directory (a buildspec file,
    /// or a word meant as the project's name, as `cairn build myapp`), with the option that does what was meant.
    /// </summary>
    private static string? SourceArgumentProblem(Arguments arguments)
    {
        if (arguments.SourceArgument is not { } given)
        {
            return null;
        }

        if (arguments.SourceOptionGiven)
        {
            return $"the source directory is given twice, as the argument {given} and as --source {arguments.Source}; give one of them.";
        }

        if (Directory.Exists(given))
        {
            return null;
        }

        if (File.Exists(given))
        {
            return given.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || given.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
                ? $"{given} is a file, and the argument is the source directory. To run that buildspec, use: cairn build --buildspec {given}"
                : $"{given} is a file, and the argument is the source directory (e.g. cairn build path/to/app).";
        }

        return $"there is no directory {given}: the argument is the source directory the commands run in (e.g. cairn build path/to/app; "
            + $"default the current directory). To name the build's project instead, use: cairn build --project {given}";
    }

    private static async Task<int> UsageAsync(string message)
    {
        await Console.Error.WriteLineAsync($"cairn build: {message}");
        return ExitUsage;
    }

    [GeneratedRegex(@"(^|[\s;&|(`$])aws\s")]
    private static partial Regex AwsCli();

    [GeneratedRegex("[^A-Za-z0-9_-]+")]
    private static partial Regex InvalidProjectCharacters();
}
