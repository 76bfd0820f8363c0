using Cairn.Application.Builds;
using Cairn.Core.Builds;
using Cairn.Core.Buildspec;
using Cairn.Core.Identity;
using Cairn.Runner.Artifacts;
using Cairn.Runner.Builds;
using Cairn.Runner.Containers;
using Cairn.Runner.Sources;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Cairn.Storage.Logs;
using Microsoft.Extensions.Logging;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// The server's preparation of a claimed build, run inside <see cref="BuildLifecycle"/> (which owns the sink, the log
/// and record listeners, stop and timeout, the end and COMPLETED): PROVISIONING (where it runs, the service role),
/// DOWNLOAD_SOURCE's fetching and buildspec reading, then the executor for the rest; its cleanup removes the build's
/// containers and workspace. `cairn build`'s preparation is <c>Cairn.Cli/Builds/LocalBuild</c>.
/// </summary>
public sealed class BuildOrchestrator(
    IBuildStore store,
    BuildQueue queue,
    IBuildLogStore logs,
    ILogStore cloudWatchLogs,
    BuildWorkspaces workspaces,
    IBuildFileStore buildFiles,
    IBuildExecutor executor,
    IBuildRoleAssumer roles,
    IBuildEndpoint endpoint,
    CodeBuildOptions options,
    HostSandboxes sandboxes,
    IBuildSecretSources secrets,
    PipelineArtifacts pipelineArtifacts,
    Reports.BuildReportRecorder reports,
    TimeProvider time,
    ILogger<BuildOrchestrator> logger)
{
    public const string ClientError = BuildLifecycle.ClientError;
    public const string YamlFileError = "YAML_FILE_ERROR";

    private const string DefaultBuildspec = "buildspec.yml";

    private readonly BuildLifecycle _lifecycle = new(store, logs, cloudWatchLogs, time, logger, queue);

    /// <summary>Runs <paramref name="claimed"/> (already moved to PROVISIONING); <paramref name="stopping"/> is the server shutting down.</summary>
    public async Task RunAsync(BuildRecord claimed, CancellationToken stopping)
    {
        var uuid = claimed.Uuid;
        var directory = workspaces.Create(uuid);
        var container = EnvironmentTypes.RunsInContainer(claimed.Settings.Environment.Type) && options.ContainerPods is null ? new DockerEngine(options.DockerCommand) : null;
        await _lifecycle.RunAsync(claimed, [], async run =>
        {
            using var removeContainers = container is null ? default : run.Cancellation.Token.Register(() => _ = container.RemoveBuildContainersAsync(uuid, CancellationToken.None));
            await ExecuteAsync(run, directory, container);
        }, async () =>
        {
            if (container is not null)
            {
                await container.RemoveBuildContainersAsync(uuid, CancellationToken.None);
            }

            DirectoryTrees.TryDelete(Path.Combine(directory, "src"));
            DirectoryTrees.TryDelete(Path.Combine(directory, "container"));
            DirectoryTrees.TryDelete(Path.Combine(directory, "docker-config"));
            DirectoryTrees.TryDelete(Path.Combine(directory, "tools"));
            DirectoryTrees.TryDelete(Path.Combine(directory, "home"));
            DirectoryTrees.TryDelete(Path.Combine(directory, "sandbox"));
        }, stopping);
    }

    private async Task ExecuteAsync(StoredBuildRun run, string directory, DockerEngine? container)
    {
        var build = run.Build;
        var settings = build.Settings;
        var token = run.Cancellation.Token;
        var started = time.GetUtcNow();
        // LINUX_CONTAINER builds run as Kubernetes Jobs instead of Docker containers when the server is set up so.
        var pod = EnvironmentTypes.RunsInContainer(settings.Environment.Type) ? options.ContainerPods : null;

        // PROVISIONING: where the build runs, then its service role.
        run.Sink.Say(EnvironmentTypes.RunsOnHost(settings.Environment.Type)
            ? "Running on Cairn, host shell (environment type " + settings.Environment.Type + ")"
            : pod is not null ? $"Running on Cairn, Kubernetes Job of {settings.Environment.Image} (environment type {settings.Environment.Type})"
            : $"Running on Cairn, container of {settings.Environment.Image} (environment type {settings.Environment.Type})");
        run.Sink.Say("Waiting for agent ping");
        if (!EnvironmentTypes.RunsOnHost(settings.Environment.Type) && container is null && pod is null)
        {
            run.Fail(BuildStatuses.Failed, ClientError,
                $"environment type {settings.Environment.Type} is not supported by Cairn",
                "use LINUX_EC2 (a shell on the Cairn host) or LINUX_CONTAINER (a container of the project's image, with Docker on the host).");
            return;
        }

        var sandboxed = container is null && pod is null && options.HostBuildIsolation == HostBuildIsolation.Sandbox;
        if (sandboxed && await sandboxes.ProblemAsync() is { } unsandboxable)
        {
            run.Fail(BuildStatuses.Failed, ClientError, unsandboxable, HostSandboxes.Fix);
            return;
        }

        if (container is not null)
        {
            var problem = await container.CheckEngineAsync(token)
                ?? await container.EnsureImageAsync(settings.Environment.Image, line => run.Sink.Say(line), token);
            if (problem is not null)
            {
                run.Fail(BuildStatuses.Failed, ClientError, problem, null);
                return;
            }
        }

        BuildCredentials credentials;
        try
        {
            credentials = await roles.AssumeAsync(settings.ServiceRole, BuildLifecycle.RoleSessionName(build.Uuid),
                TimeSpan.FromMinutes(settings.TimeoutInMinutes + 15), token);
        }
        catch (BuildRoleException denied)
        {
            run.Fail(BuildStatuses.Failed, ClientError, denied.Message, denied.Hint);
            return;
        }

        run.Sink.Masker.AddSecrets([credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken]);
        run.Sink.Say($"Assumed service role {settings.ServiceRole} as {credentials.Principal.Arn}");
        token.ThrowIfCancellationRequested();

        // DOWNLOAD_SOURCE: fetch the source and read the buildspec; the executor checks it and resolves the variables.
        run.Sink.Say("Waiting for DOWNLOAD_SOURCE");
        run.Sink.EndPhase(BuildStatuses.Succeeded, writeLines: false);
        run.Sink.StartPhase(BuildPhaseTypes.DownloadSource);
        var sourceDirectory = Path.Combine(directory, "src");
        var serverOnly = new[] { workspaces.DataDirectory, workspaces.Root };
        if (await SourceLocations.CheckAsync(settings.Source.Type, settings.Source.Location, options.SourceRoots, serverOnly, token) is { } refused)
        {
            run.Fail(BuildStatuses.Failed, SourceFetchException.StatusCode, refused.Message, refused.Hint);
            return;
        }

        FetchedSource source;
        PipelineSources? inputs;
        try
        {
            inputs = await pipelineArtifacts.FetchAsync(build, sourceDirectory, line => run.Sink.Say(line), token);
            source = inputs?.Primary ?? await SourceFetcher.FetchAsync(
                new SourceRequest(settings.Source.Type, settings.Source.Location, build.SourceVersion, settings.Source.GitCloneDepth, settings.Source.InsecureSsl)
                {
                    Excluded = serverOnly,
                },
                sourceDirectory, line => run.Sink.Say(line), token);
        }
        catch (SourceFetchException failed)
        {
            run.Fail(BuildStatuses.Failed, SourceFetchException.StatusCode, failed.Message, failed.Hint);
            return;
        }

        run.Build = await store.UpdateBuildAsync(build.Uuid, b => b with { ResolvedSourceVersion = source.ResolvedVersion }, CancellationToken.None) ?? build;
        var (buildspec, buildspecPath, missing) = ReadBuildspec(settings.Source, source.Directory);
        if (missing is not null)
        {
            run.Fail(BuildStatuses.Failed, YamlFileError, missing.Value.Message, missing.Value.Hint);
            return;
        }

        // Kept before it is parsed, so a buildspec CodeBuild rejects is shown beside the reason.
        await buildFiles.SaveBuildspecAsync(build.Uuid, buildspec!, token);

        // aws ... in the build reaches Cairn whatever the CLI's version: a shim first on PATH adds the endpoint.
        var tools = endpoint.Url is null || pod is not null ? null : AwsCliShim.Write(Path.Combine(directory, "tools"));
        var cacheDirectory = workspaces.CacheOf(build.Scope, build.ProjectName);
        var dockerConfig = container is null && pod is null ? PrivateDockerConfig(directory) : null;
        var home = Path.Combine(directory, "home");
        var sandbox = sandboxed
            ? await sandboxes.CreateAsync(directory, source.Directory, home, dockerConfig, tools, cacheDirectory, settings.Environment.PrivilegedMode)
            : null;
        var baseEnvironment = container is not null || pod is not null ? ContainerEnvironment() : BuildHostEnvironment.Capture(serverBuild: true, sandbox is null ? null : home);
        if (tools is not null)
        {
            BuildHostEnvironment.PrependPath(baseEnvironment, tools);
        }

        var systemVariables = BuildHostEnvironment.AwsVariables(
            credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, credentials.Expiration, endpoint.Url);
        if (dockerConfig is not null)
        {
            systemVariables["DOCKER_CONFIG"] = dockerConfig;
        }

        inputs?.AddVariables(systemVariables);

        var role = new RequestContext(credentials.Principal, build.Scope.Region, "codebuild-" + build.Uuid, null, time.GetUtcNow(), credentials.AccessKeyId);
        BuildPlacement placement = pod is not null ? pod : container is not null
            ? new ContainerPlacement(new ContainerSettings(
                build.Uuid, settings.Environment.Image, [source.Directory, .. inputs?.Directories ?? [], .. tools is null ? Array.Empty<string>() : [tools]], settings.Environment.PrivilegedMode,
                Path.Combine(directory, "container"), options.DockerCommand, DockerSocket()))
            : sandbox is not null ? new SandboxPlacement(sandbox with { WritableDirectories = [.. sandbox.WritableDirectories, .. inputs?.Directories ?? []] }) : BuildPlacement.Host;
        var remaining = TimeSpan.FromMinutes(settings.TimeoutInMinutes) - (time.GetUtcNow() - started);
        var request = new BuildRequest
        {
            Buildspec = BuildspecParser.Parse(buildspec!),
            BuildspecPath = buildspecPath,
            SourceDirectory = source.Directory,
            Identity = run.Identity,
            Region = build.Scope.Region,
            AccountId = build.Scope.AccountId,
            // StartBuild's overrides are already merged into the build's variables, replacing project ones of the same name.
            ProjectVariables = settings.Environment.Variables,
            SystemVariables = systemVariables,
            BaseEnvironment = baseEnvironment,
            Secrets = secrets.For(role),
            Timeout = remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1),
            ArtifactsDirectory = settings.ArtifactsType == "NO_ARTIFACTS" ? null : workspaces.ArtifactsOf(build.Uuid),
            ArtifactPackaging = settings.ArtifactsPackaging == "ZIP" ? ArtifactPackaging.Zip : ArtifactPackaging.Directory,
            CacheDirectory = settings.CacheType == "NO_CACHE" ? null : cacheDirectory,
            Image = settings.Environment.Image,
            SourceVersion = build.SourceVersion,
            ResolvedSourceVersion = source.ResolvedVersion,
            SourceRepoUrl = source.RepositoryUrl,
            AwsCommand = endpoint.Url is { } url ? $"aws --endpoint-url {url}" : "aws",
            Placement = placement,
            Time = time,
        };
        var result = await executor.RunAsync(request, run.Sink, run.Cancellation, CancellationToken.None);
        // For the build's page on any server; on files the store reads this directory as it is (no copy).
        var packaged = request.ArtifactsDirectory is { } artifacts && Directory.Exists(artifacts) ? artifacts : null;
        var copied = packaged is not null && !await buildFiles.KeepArtifactsAsync(build.Uuid, packaged, CancellationToken.None);
        await reports.RecordAsync(run.Build, role, result.Reports, line => run.Sink.Say(line), CancellationToken.None);
        result = await pipelineArtifacts.StoreOutputsAsync(run.Build, result, line => run.Sink.Say(line), CancellationToken.None);
        if (copied)
        {
            // The store has its copy and the pipeline's outputs are archived: this server's is not needed.
            DirectoryTrees.TryDelete(packaged!);
        }

        run.Finish(result);
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
    private static string PrivateDockerConfig(string buildDirectory)
    {
        var directory = Path.Combine(buildDirectory, "docker-config");
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    private static Dictionary<string, string> ContainerEnvironment() => new(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["HOME"] = "/root",
    };

    private static string DockerSocket()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        return host is not null && host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : "/var/run/docker.sock";
    }
}
