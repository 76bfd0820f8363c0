using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Core.Builds;
using Cairn.Core.Builds.Events;
using Cairn.Core.Buildspec;
using Cairn.Runner.Builds;
using Cairn.Server.Services.CodeBuild.Queue;

namespace Cairn.Cli.Builds;

/// <summary>
/// `cairn build`'s preparation, beside the server's project preparation (<c>BuildOrchestrator</c>): the buildspec on disk,
/// the source directory in place (nothing fetched), the caller's credentials or a role through <see cref="BuildConnection"/>,
/// and the host as placement. The build is stored like any other (numbered, PROVISIONING, this process its runner) and
/// runs through the same <see cref="BuildLifecycle"/>: one sink, the log and the record projection, with the console as
/// one more listener.
/// </summary>
internal sealed class LocalBuild(
    string dataDirectory, string sourceDirectory, string buildspecPath, BuildspecParseResult buildspec,
    IReadOnlyList<KeyValuePair<string, string>> overrides, BuildConnection? connection)
{
    public required string ProjectName { get; init; }

    public required string Uuid { get; init; }

    public int TimeoutMinutes { get; init; } = ProjectSettings.DefaultTimeoutInMinutes;

    /// <summary>--artifacts; default &lt;data&gt;/builds/&lt;project&gt;/&lt;number&gt;/artifacts.</summary>
    public string? Artifacts { get; init; }

    public bool UnmaskStringParameters { get; init; }

    /// <summary>How the build's hints spell the aws CLI pointed at Cairn.</summary>
    public string AwsCommand { get; init; } = "aws --endpoint-url http://127.0.0.1:4566";

    /// <summary>--role as given (a name or an ARN), stored as the build's service role.</summary>
    public string? RoleArn { get; init; }

    /// <summary>
    /// Stores the build, runs it and returns its result as the phase table and --format json show it: the executor's
    /// result with the stored phases (SUBMITTED and QUEUED included), or the stored build when it ended before the executor ran.
    /// </summary>
    public async Task<BuildResult> RunAsync(LocalBuildStorage storage, IBuildEventListener console, CancellationToken stop, CancellationToken cancellationToken)
    {
        var (reference, commit) = GitRevision.Read(sourceDirectory);
        var scope = new BuildScope(connection?.AccountId ?? BuildRequest.DefaultAccountId, connection?.Region ?? BuildRequest.DefaultRegion);
        var submitted = BuildRecord.Submit(scope, ProjectName, Uuid, Settings(), reference, Environment.UserName, null, null, DateTimeOffset.UtcNow)
            with { ResolvedSourceVersion = commit };
        var claimed = await storage.AddRunningAsync(submitted, TimeProvider.System, cancellationToken);
        StartupTrace.Mark("build stored");
        BuildResult? executed = null;
        var stored = await storage.Lifecycle(TimeProvider.System).RunAsync(claimed, [console], async run =>
        {
            // PROVISIONING: nothing to provision, the commands run here as the caller.
            run.Sink.EndPhase(BuildStatuses.Succeeded, writeLines: false);
            StartupTrace.Mark("lifecycle started");
            executed = await new BuildExecutor().RunAsync(Request(run, reference, commit), run.Sink, run.Cancellation, cancellationToken);
            StartupTrace.Mark("executor ended");
            run.Finish(executed);
        }, () => Task.CompletedTask, stop) ?? claimed;
        StartupTrace.Mark("build completed and stored");
        return executed is null
            ? new BuildResult(stored.Id, stored.Arn, stored.BuildNumber, stored.ProjectName, stored.Initiator, stored.Status, stored.StartTime,
                stored.EndTime ?? DateTimeOffset.UtcNow, stored.Phases, stored.ExportedVariables, [], [])
            : executed with { Phases = stored.Phases, Status = stored.Status };
    }

    private BuildRequest Request(StoredBuildRun run, string? reference, string? commit)
    {
        var build = run.Build;
        var number = build.BuildNumber.ToString(CultureInfo.InvariantCulture);
        return new BuildRequest
        {
            Buildspec = buildspec,
            BuildspecPath = buildspecPath,
            SourceDirectory = sourceDirectory,
            Identity = run.Identity,
            Region = build.Scope.Region,
            AccountId = build.Scope.AccountId,
            OverrideVariables = [.. overrides.Select(o => new EnvironmentVariable(o.Key, o.Value))],
            SystemVariables = connection?.Variables ?? new Dictionary<string, string>(),
            BaseEnvironment = connection is null ? null : BuildHostEnvironment.Capture(serverBuild: false),
            SecretValues = connection?.Identity.Secrets.ToList() ?? [],
            Secrets = connection?.Secrets,
            UnmaskStringParameters = UnmaskStringParameters,
            Timeout = TimeSpan.FromMinutes(TimeoutMinutes),
            ArtifactsDirectory = Path.GetFullPath(Artifacts ?? Path.Combine(dataDirectory, "builds", build.ProjectName, number, "artifacts")),
            CacheDirectory = Path.GetFullPath(Path.Combine(dataDirectory, "cache", build.ProjectName)),
            SourceVersion = reference,
            ResolvedSourceVersion = commit,
            SourceRepoUrl = "file://" + sourceDirectory,
            AwsCommand = AwsCommand,
            // Short enough that SIGINT, SIGTERM and SIGKILL all go out before Ctrl-C handling gives up waiting (2 s).
            StopGracePeriod = TimeSpan.FromMilliseconds(500),
        };
    }

    /// <summary>What the stored build says it ran: the source directory in place, on this host, as the caller or the role.</summary>
    private ProjectSettings Settings() => ProjectSettings.FromDocument(new JsonObject
    {
        ["name"] = ProjectName,
        ["source"] = new JsonObject { ["type"] = SourceTypes.NoSource, ["location"] = sourceDirectory, ["buildspec"] = buildspecPath },
        ["artifacts"] = new JsonObject { ["type"] = "NO_ARTIFACTS" },
        ["environment"] = new JsonObject { ["type"] = EnvironmentTypes.LinuxEc2, ["image"] = "host", ["computeType"] = "BUILD_GENERAL1_SMALL" },
        ["serviceRole"] = RoleArn ?? string.Empty,
        ["timeoutInMinutes"] = TimeoutMinutes,
    });
}
