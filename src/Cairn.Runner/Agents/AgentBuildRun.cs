using Cairn.Core.Builds;
using Cairn.Core.Builds.Events;
using Cairn.Core.Buildspec;
using Cairn.Runner.Artifacts;
using Cairn.Runner.Builds;
using Cairn.Runner.Containers;
using Cairn.Runner.Events;
using Cairn.Runner.Masking;
using Cairn.Runner.Phases;
using Cairn.Runner.Sources;

namespace Cairn.Runner.Agents;

/// <summary>
/// One claimed build on an agent: PROVISIONING (the executor's engine), DOWNLOAD_SOURCE (fetch, read the buildspec), then
/// the same <see cref="IBuildExecutor"/> the server uses. Its one sink masks every line (the role's credentials first);
/// lines go to the server in chunks by line offset, phases and the lease with each heartbeat, and the end with a guarded
/// completion. A heartbeat answered "stop" stops the build; a lost lease stops it too and reports nothing more.
/// </summary>
internal sealed class AgentBuildRun(AgentClient client, BuildAgentSettings settings, IBuildExecutor executor, AgentAssignment build, Action<string> say)
    : IBuildEventListener, IDisposable
{
    private const string DefaultBuildspec = "buildspec.yml";
    private const string ArtifactsFolder = "artifacts";

    /// <summary>The agent's project caches, beside the builds' directories in its work directory.</summary>
    public const string CacheFolder = "_cache";

    private readonly List<AgentLogLine> _lines = [];
    private readonly Lock _gate = new();

    // Released by the first line after a send: a quiet build's next line goes out at once; a busy one's in batches.
    private readonly SemaphoreSlim _linesWaiting = new(0, 1);
    private long _sent;
    private volatile bool _leaseLost;

    private BuildPhaseRecord? _running = build.Provisioning;

    public void OnEvent(BuildEvent buildEvent)
    {
        lock (_gate)
        {
            switch (buildEvent)
            {
                case BuildLogLine line:
                    _lines.Add(new AgentLogLine(line.Text, line.Time));
                    LinesArrived();
                    break;
                case BuildOutputBlock block:
                    // The server's log takes lines with their times: a block's lines all have the block's time.
                    foreach (var text in block.Lines())
                    {
                        _lines.Add(new AgentLogLine(text, block.Time));
                    }

                    LinesArrived();
                    break;
                case BuildPhaseStarted started:
                    _running = new BuildPhaseRecord(started.PhaseType, started.Time, FirstLogLine: started.FirstLogLine);
                    break;
                default:
                    break;
            }
        }
    }

    private void LinesArrived()
    {
        if (_linesWaiting.CurrentCount == 0)
        {
            _linesWaiting.Release();
        }
    }

    /// <summary>The phases that ended and the one running, as a heartbeat reports them.</summary>
    private List<BuildPhaseRecord> PhasesSoFar(BuildEventSink sink)
    {
        var ended = sink.Phases.ToList();
        var current = sink.CurrentPhase;
        lock (_gate)
        {
            if (current is not null && _running?.PhaseType == current && (ended.Count == 0 || ended[^1].PhaseType != current || ended[^1].StartTime != _running.StartTime))
            {
                ended.Add(_running);
            }
        }

        return ended;
    }

    public async Task<string> RunAsync(CancellationToken stopping)
    {
        var directory = Path.Combine(settings.WorkDirectory, build.Uuid);
        Directory.CreateDirectory(directory);
        using var cancellation = BuildAgentHost.Linked(stopping, out var registration);
        using var stopped = registration;
        var sink = new BuildEventSink(new SecretMasker(), TimeProvider.System, [this], build.Provisioning, 0);
        sink.Masker.AddSecrets([build.Credentials.AccessKeyId, build.Credentials.SecretAccessKey, build.Credentials.SessionToken]);
        using var background = new CancellationTokenSource();
        var heartbeats = HeartbeatAsync(sink, cancellation, background.Token);
        var shipping = ShipLogAsync(cancellation, background.Token);
        string status;
        IReadOnlyList<BuildPhaseRecord> phases;
        IReadOnlyList<ExportedVariable> exported = [];
        IReadOnlyList<AgentArtifact> artifacts = [];
        IReadOnlyList<Reports.ReportSummary> reports = [];
        var container = settings.Executor == AgentExecutor.Docker ? new DockerEngine(settings.DockerCommand) : null;
        try
        {
            cancellation.TimeOutAfter(TimeSpan.FromMinutes(build.TimeoutInMinutes));
            var result = await ExecuteAsync(sink, cancellation, directory, container);
            if (result is null)
            {
                status = BuildStatuses.Failed;
                phases = Close(sink);
            }
            else
            {
                (status, phases, artifacts) = await UploadAsync(result, directory, sink, stopping);
                exported = result.ExportedVariables;
                reports = result.Reports;
            }
        }
        catch (OperationCanceledException) when (cancellation.Token.IsCancellationRequested)
        {
            status = cancellation.Reason == BuildStatuses.TimedOut ? BuildStatuses.TimedOut : BuildStatuses.Stopped;
            var context = status == BuildStatuses.TimedOut ? new PhaseContext("BUILD_TIMED_OUT", "Build has timed out.") : new PhaseContext("BUILD_STOPPED", "Build was stopped.");
            sink.EndPhase(status, context);
            sink.StartPhase(BuildPhaseTypes.Finalizing);
            phases = Close(sink);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            status = BuildStatuses.Fault;
            sink.EndPhase(BuildStatuses.Fault, new PhaseContext("CLIENT_ERROR", $"{error.GetType().Name}: {error.Message}"));
            sink.StartPhase(BuildPhaseTypes.Finalizing);
            phases = Close(sink);
        }
        finally
        {
            sink.Dispose();
            if (container is not null)
            {
                await container.RemoveBuildContainersAsync(build.Uuid, CancellationToken.None);
            }

            DirectoryTrees.TryDelete(directory);
        }

        await background.CancelAsync();
        await heartbeats;
        await shipping;
        if (_leaseLost)
        {
            say($"build {build.BuildId}: the server says this agent no longer holds it; nothing more is reported");
            return "lease lost";
        }

        await RetryAsync(() => SendPendingAsync(CancellationToken.None), stopping);
        var completion = new AgentCompletion(build.LeaseToken, status, phases, exported)
        {
            Artifacts = artifacts, Reports = reports, SessionAccessKeyId = build.Credentials.AccessKeyId,
        };
        await RetryAsync(() => client.CompleteAsync(build.Uuid, completion, CancellationToken.None), stopping);
        return status;
    }

    private async Task<BuildResult?> ExecuteAsync(BuildEventSink sink, BuildCancellation cancellation, string directory, DockerEngine? container)
    {
        var token = cancellation.Token;
        var type = build.EnvironmentType;
        var pod = settings.Executor == AgentExecutor.Kubernetes ? settings.Pod ?? throw new InvalidOperationException("the kubernetes executor has no cluster settings") : null;
        sink.Say(pod is not null
            ? $"Running on Cairn agent {client.AgentId}, Kubernetes Job of {build.Image} (environment type {type})"
            : container is null
            ? $"Running on Cairn agent {client.AgentId}, host shell (environment type {type})"
            : $"Running on Cairn agent {client.AgentId}, container of {build.Image} (environment type {type})");
        if (container is not null)
        {
            var problem = await container.CheckEngineAsync(token) ?? await container.EnsureImageAsync(build.Image, sink.Say, token);
            if (problem is not null)
            {
                Fail(sink, "CLIENT_ERROR", problem, "install Docker on the agent's host, or run the agent with --executor host.");
                return null;
            }
        }

        sink.Say("Waiting for DOWNLOAD_SOURCE");
        sink.EndPhase(BuildStatuses.Succeeded, writeLines: false);
        sink.StartPhase(BuildPhaseTypes.DownloadSource);
        var source = build.Source;
        FetchedSource fetched;
        var inputs = new List<(string Name, string Directory)>();
        try
        {
            fetched = source.Type == SourceTypes.CodePipeline
                ? await FetchInputsAsync(Path.Combine(directory, "src"), inputs, sink, token)
                : await SourceFetcher.FetchAsync(
                    new SourceRequest(source.Type, source.Location, source.Version, source.GitCloneDepth, source.InsecureSsl), Path.Combine(directory, "src"), sink.Say, token);
        }
        catch (SourceFetchException failed)
        {
            Fail(sink, SourceFetchException.StatusCode, failed.Message, failed.Hint);
            return null;
        }

        var declared = source.Buildspec;
        string text;
        string? buildspecPath = null;
        if (declared is not null && (declared.Contains('\n', StringComparison.Ordinal) || declared.TrimStart().StartsWith("version", StringComparison.Ordinal)))
        {
            text = declared;
        }
        else
        {
            var relative = string.IsNullOrWhiteSpace(declared) ? DefaultBuildspec : declared.Trim();
            buildspecPath = Path.GetFullPath(Path.Combine(fetched.Directory, relative));
            if (!File.Exists(buildspecPath))
            {
                Fail(sink, "YAML_FILE_ERROR", $"stat {buildspecPath}: no such file or directory",
                    $"add {relative} to the source, or set the project's source buildspec (or StartBuild's buildspecOverride) to its path or to inline YAML.");
                return null;
            }

            text = await File.ReadAllTextAsync(buildspecPath, token);
        }

        var credentials = build.Credentials;
        var system = BuildHostEnvironment.AwsVariables(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, credentials.Expiration,
            client.Server.GetLeftPart(UriPartial.Authority));
        foreach (var (name, path) in inputs.Skip(1))
        {
            system[SourceFetchException.SecondarySourceVariable(name)] = path;
        }
        var request = new BuildRequest
        {
            Buildspec = BuildspecParser.Parse(text),
            BuildspecPath = buildspecPath,
            SourceDirectory = fetched.Directory,
            Identity = new BuildIdentity(build.ProjectName, build.BuildId, build.BuildNumber, build.Initiator),
            Region = build.Region,
            AccountId = build.AccountId,
            ProjectVariables = build.Variables,
            SystemVariables = system,
            BaseEnvironment = container is null && pod is null
                ? BuildHostEnvironment.Capture(serverBuild: true)
                : new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ["HOME"] = "/root" },
            Secrets = settings.Secrets?.Invoke(build),
            Timeout = TimeSpan.FromMinutes(build.TimeoutInMinutes),
            ArtifactsDirectory = build.NoArtifacts ? null : Path.Combine(directory, ArtifactsFolder),
            ArtifactPackaging = build.ArtifactsPackaging == "ZIP" ? ArtifactPackaging.Zip : ArtifactPackaging.Directory,
            CacheDirectory = build.Caches ? CacheDirectory() : null,
            Image = build.Image,
            SourceVersion = source.Version,
            ResolvedSourceVersion = fetched.ResolvedVersion,
            SourceRepoUrl = fetched.RepositoryUrl,
            AwsCommand = $"aws --endpoint-url {client.Server.GetLeftPart(UriPartial.Authority)}",
            Placement = pod is not null ? pod
                : container is null
                ? BuildPlacement.Host
                : new ContainerPlacement(new ContainerSettings(
                    build.Uuid, build.Image, [fetched.Directory, .. inputs.Skip(1).Select(i => i.Directory)], build.PrivilegedMode, Path.Combine(directory, "container"), settings.DockerCommand)),
        };
        return await executor.RunAsync(request, sink, cancellation, CancellationToken.None);
    }

    /// <summary>
    /// A pipeline build's input artifacts from the server, each in its own directory under <paramref name="root"/> named by
    /// it, as the server's own builds get them: the first is CODEBUILD_SRC_DIR, every other one CODEBUILD_SRC_DIR_&lt;name&gt;.
    /// </summary>
    private async Task<FetchedSource> FetchInputsAsync(string root, List<(string Name, string Directory)> inputs, BuildEventSink sink, CancellationToken token)
    {
        if (build.Inputs.Count == 0)
        {
            throw SourceFetchException.NotFromPipeline();
        }

        foreach (var name in build.Inputs)
        {
            var target = Path.Combine(root, name);
            try
            {
                await client.DownloadInputAsync(build.Uuid, new AgentInputRequest(build.LeaseToken, name), target, token);
            }
            catch (Exception error) when (error is HttpRequestException or AgentRequestException or InvalidDataException or IOException)
            {
                throw new SourceFetchException($"could not download the input artifact {name} from {client.Server}: {error.Message}",
                    error is AgentRequestException { Status: 404 } ? "the artifact is gone from the server's artifact store; run the pipeline again." : null);
            }

            sink.Say($"Downloaded input artifact {name} from {client.Server.GetLeftPart(UriPartial.Authority)}");
            inputs.Add((name, target));
        }

        return new FetchedSource(inputs[0].Directory, null, null);
    }

    /// <summary>The project's cache on this agent: &lt;work&gt;/_cache/&lt;account&gt;/&lt;region&gt;/&lt;project&gt;, kept between builds.</summary>
    private string CacheDirectory() => Path.Combine(settings.WorkDirectory, CacheFolder, build.AccountId, build.Region, build.ProjectName);

    /// <summary>
    /// The artifacts the build packaged go to the server before the completion names them; a build whose artifacts cannot be
    /// sent fails in UPLOAD_ARTIFACTS with CLIENT_ERROR, as one whose artifacts cannot be written does.
    /// </summary>
    private async Task<(string Status, IReadOnlyList<BuildPhaseRecord> Phases, IReadOnlyList<AgentArtifact> Artifacts)> UploadAsync(
        BuildResult result, string directory, BuildEventSink sink, CancellationToken stopping)
    {
        var output = Path.Combine(directory, ArtifactsFolder);
        var artifacts = result.Artifacts
            .Where(a => a.Location.StartsWith(output + "/", StringComparison.Ordinal))
            .Select(a => new AgentArtifact(a.Name, a.Identifier, Path.GetRelativePath(output, a.Location).Replace('\\', '/'), a.Files))
            .ToList();
        if (artifacts.Count == 0 || !Directory.Exists(output))
        {
            return (result.Status, result.Phases, []);
        }

        string? problem = null;
        await RetryAsync(async () =>
        {
            try
            {
                await client.UploadArtifactsAsync(build.Uuid, build.LeaseToken, output, CancellationToken.None);
            }
            catch (AgentRequestException refused) when (!refused.EndsTheBuild && refused.Status is >= 400 and < 500)
            {
                problem = $"{refused.Code}: {refused.Message}";
            }
            catch (IOException error)
            {
                problem = error.Message;
            }
        }, stopping, () => problem = "the server did not take them");
        if (problem is null)
        {
            return (result.Status, result.Phases, artifacts);
        }

        var message = $"could not send the artifacts to {client.Server.GetLeftPart(UriPartial.Authority)}: {problem}";
        say($"build {build.BuildId}: {message}");
        sink.Say(RunnerLines.PhaseContext(new PhaseContext("CLIENT_ERROR", message)));
        var phases = result.Phases.Select(p => p.PhaseType == BuildPhaseTypes.UploadArtifacts
            ? p with { PhaseStatus = BuildStatuses.Failed, Contexts = [new PhaseContext("CLIENT_ERROR", message)] }
            : p).ToList();
        return (result.Status == BuildStatuses.Succeeded ? BuildStatuses.Failed : result.Status, phases, []);
    }

    private static void Fail(BuildEventSink sink, string code, string message, string? hint)
    {
        sink.EndPhase(BuildStatuses.Failed, new PhaseContext(code, message), hint);
        sink.StartPhase(BuildPhaseTypes.Finalizing);
    }

    /// <summary>FINALIZING ended and COMPLETED: the phases of a build that ended before (or outside) the executor.</summary>
    private static IReadOnlyList<BuildPhaseRecord> Close(BuildEventSink sink)
    {
        sink.EndPhase(BuildStatuses.Succeeded, writeLines: false);
        sink.Complete();
        return sink.Phases;
    }

    private async Task HeartbeatAsync(BuildEventSink sink, BuildCancellation cancellation, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(0.5, build.LeaseSeconds / 4.0));
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var answer = await client.HeartbeatAsync(build.Uuid, new AgentHeartbeat(build.LeaseToken, PhasesSoFar(sink)), cancellationToken);
                    if (answer.Stop)
                    {
                        cancellation.Stop();
                    }
                }
                catch (AgentRequestException lost) when (lost.EndsTheBuild)
                {
                    _leaseLost = true;
                    cancellation.Stop();
                    return;
                }
                catch (Exception error) when (error is HttpRequestException or AgentRequestException)
                {
                    say($"heartbeat for {build.BuildId} failed ({error.Message}); trying again");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The build ended.
        }
    }

    private async Task ShipLogAsync(BuildCancellation cancellation, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // At once when lines wait after a quiet spell (StartBuild to the first line on the server stays one
                // round trip), then at most one send per LogInterval while lines keep coming.
                await _linesWaiting.WaitAsync(cancellationToken);
                try
                {
                    await SendPendingAsync(cancellationToken);
                }
                catch (AgentRequestException lost) when (lost.EndsTheBuild)
                {
                    _leaseLost = true;
                    cancellation.Stop();
                    return;
                }
                catch (Exception error) when (error is HttpRequestException or AgentRequestException)
                {
                    // Sent again from the same offset after the interval: the server skips lines it already has.
                    say($"log for {build.BuildId} not sent ({error.Message}); trying again");
                    lock (_gate)
                    {
                        if (_linesWaiting.CurrentCount == 0)
                        {
                            _linesWaiting.Release();
                        }
                    }
                }

                await Task.Delay(settings.LogInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The build ended; its last lines go with the completion.
        }
    }

    private async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        AgentLogLine[] pending;
        lock (_gate)
        {
            pending = [.. _lines.Skip((int)_sent).Take(1000)];
        }

        while (pending.Length > 0)
        {
            await client.SendLogAsync(build.Uuid, new AgentLogChunk(build.LeaseToken, _sent, pending), cancellationToken);
            _sent += pending.Length;
            lock (_gate)
            {
                pending = [.. _lines.Skip((int)_sent).Take(1000)];
            }
        }
    }

    /// <summary>The last reports of a build are retried until the server answers (or says the lease is gone).</summary>
    /// <param name="gaveUp">Called when the tries ran out (else the last error is thrown).</param>
    private async Task RetryAsync(Func<Task> send, CancellationToken stopping, Action? gaveUp = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await send();
                return;
            }
            catch (AgentRequestException lost) when (lost.EndsTheBuild)
            {
                say($"build {build.BuildId}: lease lost before its end was reported");
                return;
            }
            catch (Exception error) when (error is HttpRequestException or AgentRequestException or TaskCanceledException)
            {
                if (attempt >= 30 || stopping.IsCancellationRequested)
                {
                    if (gaveUp is null)
                    {
                        throw;
                    }

                    gaveUp();
                    return;
                }

                say($"report for {build.BuildId} failed ({error.Message}); trying again");
                await Task.Delay(settings.RetryDelay, CancellationToken.None);
            }
        }
    }

    public void Dispose() => _linesWaiting.Dispose();
}
