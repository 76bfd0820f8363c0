using System.Globalization;
using Cairn.Core.Builds;
using Cairn.Core.Buildspec;
using Cairn.Core.Identity;
using Cairn.Runner.Containers;
using Cairn.Runner.Masking;
using Cairn.Runner.Phases;
using Cairn.Runner.Processes;
using Cairn.Runner.Sources;
using Cairn.Server.Services.CodeBuild.Logs;
using Cairn.Server.Services.CodeBuild.Queue;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Services.CodeBuild.Execution;

/// <summary>
/// Runs one claimed build to its end: PROVISIONING (where it runs, the service role), DOWNLOAD_SOURCE's fetching and
/// buildspec reading, then the runner for the rest. Every state change is stored as it happens; whatever goes wrong,
/// the build ends COMPLETED with a status and its log says why.
/// </summary>
internal sealed partial class BuildJob(
    IBuildStore store,
    BuildQueue queue,
    IBuildLogStore logs,
    BuildWorkspaces workspaces,
    IBuildRunner runner,
    IBuildRoleAssumer roles,
    ServerEndpoint endpoint,
    CodeBuildOptions options,
    HostSandboxes sandboxes,
    Hosting.CairnServerOptions server,
    TimeProvider time,
    ILogger<BuildJob> logger)
{
    public const string ClientError = "CLIENT_ERROR";
    public const string YamlFileError = "YAML_FILE_ERROR";
    public const string ServicePrincipal = "codebuild.amazonaws.com";

    private const string DefaultBuildspec = "buildspec.yml";

    /// <summary>Runs <paramref name="claimed"/> (already moved to PROVISIONING); <paramref name="stopping"/> is the server shutting down.</summary>
    public async Task RunAsync(BuildRecord claimed, CancellationToken stopping)
    {
        var uuid = claimed.Uuid;
        var settings = claimed.Settings;
        var directory = workspaces.Create(uuid);
        using var cancellation = new BuildCancellation();
        queue.Register(uuid, cancellation);
        var tracker = new PhaseTracker(store, uuid, time);
        var writer = new BuildLogStream(logs.OpenWriter(uuid), time, tracker.Observe);
        var masker = new SecretMasker();
        var run = new JobState(claimed, writer, masker, cancellation, directory);
        var container = EnvironmentTypes.RunsInContainer(settings.Environment.Type) ? new DockerEngine(options.DockerCommand) : null;
        try
        {
            using var shutdown = stopping.Register(cancellation.Stop);
            using var removeContainers = container is null ? default : cancellation.Token.Register(() => _ = container.RemoveBuildContainersAsync(uuid, CancellationToken.None));
            if ((await store.FindBuildAsync(uuid, CancellationToken.None))?.StopRequested == true)
            {
                cancellation.Stop();
            }

            cancellation.TimeOutAfter(TimeSpan.FromMinutes(settings.TimeoutInMinutes), time);
            await ExecuteAsync(run, container);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellation.Token.IsCancellationRequested)
        {
            LogBuildFault(logger, error, claimed.Id);
            await FailAsync(run, BuildStatuses.Fault, ClientError, $"{error.GetType().Name}: {error.Message}", null);
        }
        catch (OperationCanceledException)
        {
            await InterruptedAsync(run);
        }
        finally
        {
            // The build is COMPLETED only once its processes, containers and source are gone.
            await tracker.DisposeAsync();
            if (container is not null)
            {
                await container.RemoveBuildContainersAsync(uuid, CancellationToken.None);
            }

            // As a container would be torn down: whatever the build left running, even outside its process group (setsid, nohup), goes.
            await MarkedProcesses.KillAsync("CODEBUILD_BUILD_ID", claimed.Id, CancellationToken.None);
            TryDelete(Path.Combine(directory, "src"));
            TryDelete(Path.Combine(directory, "container"));
            TryDelete(Path.Combine(directory, "docker-config"));
            TryDelete(Path.Combine(directory, "tools"));
            TryDelete(Path.Combine(directory, "home"));
            TryDelete(Path.Combine(directory, "sandbox"));
            await writer.DisposeAsync();
            // Never leave a build IN_PROGRESS: a path that forgot to decide its end is Cairn's fault.
            var complete = run.Completion ?? (build => build.IsComplete ? null
                : build.Complete(BuildStatuses.Fault, time.GetUtcNow(), BuildStatuses.Fault, [new PhaseContext(ClientError, "the build ended without a status")]));
            await store.UpdateBuildAsync(uuid, complete, CancellationToken.None);

            queue.Unregister(uuid);
            queue.Notify();
        }
    }

    private async Task ExecuteAsync(JobState run, DockerEngine? container)
    {
        var build = run.Build;
        var settings = build.Settings;
        var token = run.Cancellation.Token;
        var started = time.GetUtcNow();

        // PROVISIONING: where the build runs, then its service role.
        Say(run, EnvironmentTypes.RunsOnHost(settings.Environment.Type)
            ? "Running on Cairn, host shell (environment type " + settings.Environment.Type + ")"
            : $"Running on Cairn, container of {settings.Environment.Image} (environment type {settings.Environment.Type})");
        Say(run, "Waiting for agent ping");
        if (!EnvironmentTypes.RunsOnHost(settings.Environment.Type) && container is null)
        {
            await FailAsync(run, BuildStatuses.Failed, ClientError,
                $"environment type {settings.Environment.Type} is not supported by Cairn",
                "use LINUX_EC2 (a shell on the Cairn host) or LINUX_CONTAINER (a container of the project's image, with Docker on the host).");
            return;
        }

        var sandboxed = container is null && options.HostBuildIsolation == HostBuildIsolation.Sandbox;
        if (sandboxed && await sandboxes.ProblemAsync() is { } unsandboxable)
        {
            await FailAsync(run, BuildStatuses.Failed, ClientError, unsandboxable, HostSandboxes.Fix);
            return;
        }

        if (container is not null)
        {
            var problem = await container.CheckEngineAsync(token)
                ?? await container.EnsureImageAsync(settings.Environment.Image, line => Say(run, line), token);
            if (problem is not null)
            {
                await FailAsync(run, BuildStatuses.Failed, ClientError, problem, null);
                return;
            }
        }

        BuildCredentials credentials;
        try
        {
            credentials = await roles.AssumeAsync(settings.ServiceRole, "AWSCodeBuild-" + build.Uuid,
                TimeSpan.FromMinutes(settings.TimeoutInMinutes + 15), token);
        }
        catch (BuildRoleException denied)
        {
            await FailAsync(run, BuildStatuses.Failed, ClientError, denied.Message, denied.Hint);
            return;
        }

        run.Masker.AddSecrets([credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken]);
        Say(run, $"Assumed service role {settings.ServiceRole} as {credentials.Principal.Arn}");
        token.ThrowIfCancellationRequested();

        // DOWNLOAD_SOURCE: fetch the source and read the buildspec; the runner checks it and resolves the variables.
        Say(run, "Waiting for DOWNLOAD_SOURCE");
        await AdvanceAsync(run, BuildPhaseTypes.DownloadSource);
        var sourceDirectory = Path.Combine(run.Directory, "src");
        var serverOnly = new[] { Path.GetFullPath(server.DataDirectory), workspaces.Root };
        if (await SourceLocations.CheckAsync(settings.Source.Type, settings.Source.Location, options.SourceRoots, serverOnly, token) is { } refused)
        {
            await FailAsync(run, BuildStatuses.Failed, SourceFetchException.StatusCode, refused.Message, refused.Hint);
            return;
        }

        FetchedSource source;
        try
        {
            source = await SourceFetcher.FetchAsync(
                new SourceRequest(settings.Source.Type, settings.Source.Location, build.SourceVersion, settings.Source.GitCloneDepth, settings.Source.InsecureSsl)
                {
                    Excluded = serverOnly,
                },
                sourceDirectory, line => Say(run, line), token);
        }
        catch (SourceFetchException failed)
        {
            await FailAsync(run, BuildStatuses.Failed, SourceFetchException.StatusCode, failed.Message, failed.Hint);
            return;
        }

        run.Build = await store.UpdateBuildAsync(build.Uuid, b => b with { ResolvedSourceVersion = source.ResolvedVersion }, CancellationToken.None) ?? build;
        var (buildspec, buildspecPath, missing) = ReadBuildspec(settings.Source, source.Directory);
        if (missing is not null)
        {
            await FailAsync(run, BuildStatuses.Failed, YamlFileError, missing.Value.Message, missing.Value.Hint);
            return;
        }

        // aws ... in the build reaches Cairn whatever the CLI's version: a shim first on PATH adds the endpoint.
        var tools = endpoint.Url is null ? null : AwsCliShim.Write(Path.Combine(run.Directory, "tools"));
        var cacheDirectory = workspaces.CacheOf(build.Scope, build.ProjectName);
        var dockerConfig = container is null ? PrivateDockerConfig(run) : null;
        var home = Path.Combine(run.Directory, "home");
        var sandbox = sandboxed
            ? await sandboxes.CreateAsync(run.Directory, source.Directory, home, dockerConfig, tools, cacheDirectory, settings.Environment.PrivilegedMode)
            : null;
        var baseEnvironment = WithTools(container is not null ? ContainerEnvironment() : HostEnvironment(sandbox is null ? null : home), tools);
        var request = new BuildRunRequest
        {
            Build = run.Build,
            Source = source,
            Buildspec = BuildspecParser.Parse(buildspec!),
            BuildspecPath = buildspecPath,
            SystemVariables = SystemVariables(credentials, dockerConfig),
            BaseEnvironment = baseEnvironment,
            Masker = run.Masker,
            RoleContext = new RequestContext(credentials.Principal, build.Scope.Region, "codebuild-" + build.Uuid, null, time.GetUtcNow(), credentials.AccessKeyId),
            Containers = container is null ? null : new ContainerShellFactory(new ContainerSettings(
                build.Uuid, settings.Environment.Image, tools is null ? [source.Directory] : [source.Directory, tools], settings.Environment.PrivilegedMode,
                Path.Combine(run.Directory, "container"), options.DockerCommand, DockerSocket())),
            Sandbox = sandbox,
            Timeout = TimeSpan.FromMinutes(settings.TimeoutInMinutes) - (time.GetUtcNow() - started),
            ArtifactsDirectory = Path.Combine(run.Directory, "artifacts"),
            CacheDirectory = cacheDirectory,
            AwsCommand = endpoint.Url is { } url ? $"aws --endpoint-url {url}" : "aws",
        };
        var outcome = await runner.RunAsync(request, run.Writer, run.Cancellation, CancellationToken.None);
        Finish(run, outcome);
    }

    /// <summary>The runner's phases after the ones Cairn ran itself, and the runner's status: the build's completion.</summary>
    private void Finish(JobState run, BuildRunOutcome outcome)
    {
        var now = time.GetUtcNow();
        run.Completion = build =>
        {
            var before = build.Phases.TakeWhile(p => p.PhaseType != BuildPhaseTypes.DownloadSource).ToList();
            var ours = build.Phases.FirstOrDefault(p => p.PhaseType == BuildPhaseTypes.DownloadSource);
            var theirs = outcome.Phases.SkipWhile(p => p.PhaseType is BuildPhaseTypes.Submitted or BuildPhaseTypes.Queued or BuildPhaseTypes.Provisioning)
                .Where(p => p.PhaseType != BuildPhaseTypes.Completed)
                .Select(p => p.PhaseType == BuildPhaseTypes.DownloadSource && ours is not null ? p with { StartTime = ours.StartTime } : p)
                .ToList();
            var end = theirs.LastOrDefault()?.EndTime ?? now;
            return build with
            {
                Phases = [.. before, .. theirs, new BuildPhaseRecord(BuildPhaseTypes.Completed, end)],
                CurrentPhase = BuildPhaseTypes.Completed,
                Status = outcome.Status,
                EndTime = end,
                ExportedVariables = outcome.ExportedVariables,
                StopRequested = false,
            };
        };
    }

    /// <summary>
    /// Ends the current phase as failed (CodeBuild's two closing lines, and Cairn's hint), runs FINALIZING and completes the
    /// build with <paramref name="buildStatus"/>.
    /// </summary>
    private async Task FailAsync(JobState run, string buildStatus, string statusCode, string message, string? hint)
    {
        var phaseStatus = buildStatus == BuildStatuses.Fault ? BuildStatuses.Fault : BuildStatuses.Failed;
        await EndAsync(run, buildStatus, phaseStatus, statusCode, message, hint);
    }

    private Task InterruptedAsync(JobState run) => run.Cancellation.Reason == PhaseStatus.TimedOut
        ? EndAsync(run, BuildStatuses.TimedOut, BuildStatuses.TimedOut, "BUILD_TIMED_OUT", "Build has timed out.", null)
        : EndAsync(run, BuildStatuses.Stopped, BuildStatuses.Stopped, "BUILD_STOPPED", "Build was stopped.", null);

    private async Task EndAsync(JobState run, string buildStatus, string phaseStatus, string statusCode, string message, string? hint)
    {
        // Stored before it is logged: PhaseTracker reads the "Phase complete" line too, and must find the phase already ended.
        var now = time.GetUtcNow();
        string? ended = null;
        await store.UpdateBuildAsync(run.Build.Uuid, build =>
        {
            if (build.IsComplete)
            {
                return null;
            }

            ended = build.CurrentPhase;
            return build.EndPhase(phaseStatus, [new PhaseContext(statusCode, message)], now).BeginPhase(BuildPhaseTypes.Finalizing, now);
        }, CancellationToken.None);
        if (ended is null)
        {
            return;
        }

        Say(run, $"Phase complete: {ended} State: {phaseStatus}");
        Say(run, $"Phase context status code: {statusCode} Message: {message}");
        if (hint is not null)
        {
            Say(run, $"Hint: {hint}");
        }

        run.Completion = build => build.IsComplete ? null : build.Complete(buildStatus, time.GetUtcNow(), BuildStatuses.Succeeded);
    }

    private async Task AdvanceAsync(JobState run, string phase)
    {
        var now = time.GetUtcNow();
        run.Build = await store.UpdateBuildAsync(run.Build.Uuid, b => b.IsComplete ? null : b.BeginPhase(phase, now), CancellationToken.None) ?? run.Build;
    }

    /// <summary>Inline YAML, a path inside the source, or buildspec.yml at its root; a missing file is CodeBuild's YAML_FILE_ERROR.</summary>
    private static (string? Text, string? Path, (string Message, string Hint)? Missing) ReadBuildspec(ProjectSource source, string sourceDirectory)
    {
        var declared = source.Buildspec;
        if (declared is not null && (declared.Contains('\n', StringComparison.Ordinal) || declared.TrimStart().StartsWith("version", StringComparison.Ordinal)))
        {
            return (declared, null, null);
        }

        var relative = string.IsNullOrWhiteSpace(declared) ? DefaultBuildspec : declared.Trim();
        var path = Path.GetFullPath(Path.Combine(sourceDirectory, relative));
        if (File.Exists(path))
        {
            return (File.ReadAllText(path), path, null);
        }

        var suggestion = Runner.Diagnostics.PathSuggester.Suggest(sourceDirectory, relative);
        var hint = suggestion is not null
            ? $"{relative} does not exist; did you mean {suggestion}? Set the project's source buildspec (or StartBuild's buildspecOverride) to it."
            : $"add {relative} to the source, or set the project's source buildspec (or StartBuild's buildspecOverride) to the buildspec's path in the source or to inline YAML.";
        return (null, null, ($"stat {path}: no such file or directory", hint));
    }

    /// <summary>
    /// A host build's own docker client configuration: what `docker login` stores there (the registry password) stays
    /// with this build and is deleted with it, instead of landing in the Cairn user's ~/.docker for every later build.
    /// </summary>
    private static string PrivateDockerConfig(JobState run)
    {
        var directory = Path.Combine(run.Directory, "docker-config");
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    private IReadOnlyDictionary<string, string> SystemVariables(BuildCredentials credentials, string? dockerConfig)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey,
            ["AWS_SESSION_TOKEN"] = credentials.SessionToken,
            ["AWS_CREDENTIAL_EXPIRATION"] = credentials.Expiration.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (endpoint.Url is { } url)
        {
            variables["AWS_ENDPOINT_URL"] = url;
        }

        if (dockerConfig is not null)
        {
            variables["DOCKER_CONFIG"] = dockerConfig;
        }

        return variables;
    }

    /// <summary>
    /// The host's environment minus Cairn's own settings and any AWS credentials of the server's: builds get only their role's.
    /// A sandboxed build gets its own home directory (the server's is not its to read).
    /// </summary>
    private static IReadOnlyDictionary<string, string> HostEnvironment(string? home)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (!name.StartsWith("CAIRN_", StringComparison.Ordinal) && !name.StartsWith("AWS_", StringComparison.Ordinal))
            {
                environment[name] = (string?)entry.Value ?? string.Empty;
            }
        }

        if (home is not null)
        {
            environment["HOME"] = home;
            environment.Remove("XDG_RUNTIME_DIR");
            environment.Remove("XDG_CONFIG_HOME");
            environment.Remove("XDG_CACHE_HOME");
        }

        return environment;
    }

    private static IReadOnlyDictionary<string, string> WithTools(IReadOnlyDictionary<string, string> environment, string? tools)
    {
        if (tools is null)
        {
            return environment;
        }

        var withTools = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        withTools["PATH"] = environment.TryGetValue("PATH", out var path) && path.Length > 0 ? $"{tools}:{path}" : $"{tools}:/usr/local/bin:/usr/bin:/bin";
        return withTools;
    }

    private static IReadOnlyDictionary<string, string> ContainerEnvironment() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["HOME"] = "/root",
    };

    private static string DockerSocket()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        return host is not null && host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : "/var/run/docker.sock";
    }

    private void Say(JobState run, string message)
    {
        var timestamp = time.GetUtcNow().ToString("yyyy/MM/dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        run.Writer.WriteLine(run.Masker.MaskText($"[Container] {timestamp} {message}"));
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Files a container wrote as another user; they stay until the builds directory is cleaned.
        }
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Error, Message = "Build {BuildId} failed inside Cairn")]
    private static partial void LogBuildFault(ILogger logger, Exception error, string buildId);

    /// <summary>What one job carries from step to step.</summary>
    private sealed class JobState(BuildRecord build, BuildLogStream writer, SecretMasker masker, BuildCancellation cancellation, string directory)
    {
        public BuildRecord Build { get; set; } = build;

        /// <summary>The last change to the build, applied once everything it ran is cleaned up.</summary>
        public Func<BuildRecord, BuildRecord?>? Completion { get; set; }

        public BuildLogStream Writer { get; } = writer;

        public SecretMasker Masker { get; } = masker;

        public BuildCancellation Cancellation { get; } = cancellation;

        public string Directory { get; } = directory;
    }
}
