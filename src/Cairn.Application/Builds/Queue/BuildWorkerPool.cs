using Cairn.Application.Builds;
using Cairn.Core.Builds;
using Cairn.Runner.Containers;
using Cairn.Runner.Processes;
using Cairn.Application.Builds.Execution;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Application.Builds.Queue;

/// <summary>
/// The build workers inside the server: on start, builds left running by a server that died are marked FAILED; then
/// <see cref="CodeBuildOptions.MaxConcurrentBuilds"/> workers each claim the oldest queued build (the store keeps a
/// project's concurrentBuildLimit) and run it, while a sweeper times out builds queued longer than their
/// queuedTimeoutInMinutes.
/// </summary>
public sealed partial class BuildWorkerPool(
    IBuildStore store,
    BuildQueue queue,
    BuildOrchestrator job,
    IBuildLogStore logs,
    CodeBuildOptions options,
    TimeProvider time,
    ILogger<BuildWorkerPool> logger) : BackgroundService
{
    /// <summary>How long an idle worker waits before looking at the queue again without being woken.</summary>
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    public const string InterruptedCode = "BUILD_INTERRUPTED";

    /// <summary>Recovery runs before the server answers its first request, so no client ever sees an orphan IN_PROGRESS.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.RunsBuilds)
        {
            return;
        }

        await RecoverAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, Math.Max(1, options.MaxConcurrentBuilds)).Select(_ => WorkAsync(stoppingToken)).ToList();
        workers.Add(EveryAsync(options.QueueSweepInterval, time, "queue timeouts and orphaned builds", async token =>
        {
            await SweepQueueAsync(token);
            await RecoverAsync(token);
        }, stoppingToken));
        // Tells other servers sharing the database that this one still runs the builds it claimed.
        workers.Add(EveryAsync(ClaimingProcess.HeartbeatInterval, time, "heartbeat",
            token => store.HeartbeatAsync(ClaimingProcess.CurrentId, time.GetUtcNow(), token), stoppingToken));
        workers.Add(EveryAsync(options.StopPollInterval, TimeProvider.System, "stop requests", StopRequestedBuildsAsync, stoppingToken));
        await Task.WhenAll(workers);
    }

    /// <summary>
    /// Builds whose runner is gone (this server before a restart, or another process sharing the database that died)
    /// cannot be picked up again, their shell is gone: each is completed as FAILED, with a line in its log saying why.
    /// Builds another live server runs are left alone (<see cref="ClaimingProcess.IsOrphaned"/>); queued builds stay queued.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var self = ClaimingProcess.Current;
        foreach (var running in await store.ListRunningAsync(cancellationToken))
        {
            var now = time.GetUtcNow();
            // An agent's build is the agent lease sweep's (BuildAgentService.ExpireLeasesAsync).
            if (Agents.AgentRunners.IsAgent(running.Runner) || !ClaimingProcess.IsOrphaned(running, self, now, ClaimingProcess.IsAliveHere))
            {
                continue;
            }

            var orphan = running.Build;
            const string Message = "The Cairn server stopped while this build was running; its commands were stopped with it. Start the build again.";
            var failed = await store.UpdateBuildAsync(orphan.Uuid, build => build.IsComplete || build.IsQueued ? null : build
                .EndPhase(BuildStatuses.Failed, [new PhaseContext(InterruptedCode, Message)], now)
                .BeginPhase(BuildPhaseTypes.Finalizing, now)
                .Complete(BuildStatuses.Failed, now, BuildStatuses.Succeeded), cancellationToken);
            if (failed is null || !failed.IsComplete)
            {
                continue;
            }

            LogRecovered(logger, orphan.Id);
            await using (var writer = logs.OpenWriter(orphan.Uuid))
            {
                writer.Append(RunnerLines.Line(now, RunnerLines.PhaseComplete(orphan.CurrentPhase, BuildStatuses.Failed)), now);
                writer.Append(RunnerLines.Line(now, RunnerLines.PhaseContext(new PhaseContext(InterruptedCode, Message))), now);
            }

            // Whatever the build started may have outlived the server: its processes carry the build id in their environment.
            var killed = await MarkedProcesses.KillAsync("CODEBUILD_BUILD_ID", orphan.Id, cancellationToken);
            if (killed > 0)
            {
                LogOrphansKilled(logger, killed, orphan.Id);
            }

            if (EnvironmentTypes.RunsInContainer(orphan.Settings.Environment.Type))
            {
                await new DockerEngine(options.DockerCommand).RemoveBuildContainersAsync(orphan.Uuid, cancellationToken);
            }
        }
    }

    /// <summary>Completes as TIMED_OUT every build queued for longer than its queuedTimeoutInMinutes.</summary>
    public async Task SweepQueueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var queued in await store.ListUnfinishedAsync(cancellationToken))
        {
            var since = queued.Phases.LastOrDefault(p => p.PhaseType == BuildPhaseTypes.Queued)?.StartTime ?? queued.StartTime;
            if (!queued.IsQueued || now - since < TimeSpan.FromMinutes(queued.Settings.QueuedTimeoutInMinutes))
            {
                continue;
            }

            var timedOut = await store.UpdateBuildAsync(queued.Uuid, build => !build.IsQueued ? null : build
                .Complete(BuildStatuses.TimedOut, now, BuildStatuses.TimedOut,
                    [new PhaseContext("BUILD_TIMED_OUT", $"Build has timed out in the queue after {build.Settings.QueuedTimeoutInMinutes} minutes.")]),
                cancellationToken);
            if (timedOut is { IsComplete: true })
            {
                // It never ran, so nothing wrote its log: complete it, or a reader following the log waits forever.
                await logs.CompleteAsync(queued.Uuid, cancellationToken);
            }
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            BuildRecord? claimed;
            try
            {
                var now = time.GetUtcNow();
                claimed = await store.ClaimNextQueuedAsync(
                    Agents.AgentRunners.RunsOnServer, build => build.BeginPhase(BuildPhaseTypes.Provisioning, now), ClaimingProcess.CurrentId, now, stoppingToken);
                if (claimed is null)
                {
                    await queue.WaitAsync(IdlePoll, stoppingToken);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            LogBuildStarted(logger, claimed.Id);
            var started = time.GetTimestamp();
            try
            {
                await job.RunAsync(claimed, stoppingToken);
            }
            catch (Exception error)
            {
                // BuildOrchestrator completes its build whatever happens; this is a last guard so the worker lives on.
                LogWorkerError(logger, error, claimed.Id);
            }

            try
            {
                var finished = await store.FindBuildAsync(claimed.Uuid, CancellationToken.None);
                LogBuildFinished(logger, claimed.Id, finished?.Status ?? "status unknown", (long)time.GetElapsedTime(started).TotalSeconds);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogWorkerError(logger, error, claimed.Id);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="tick"/> every <paramref name="interval"/> until shutdown. A failing tick (the database busy,
    /// say) is logged and the next one runs as usual: one bad moment must not stop the server's housekeeping, or the host.
    /// </summary>
    private async Task EveryAsync(TimeSpan interval, TimeProvider clock, string what, Func<CancellationToken, Task> tick, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await tick(stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogHousekeepingFailed(logger, error, what);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>
    /// StopBuild through this server stops a build it runs at once; through another server sharing the database, it only
    /// marks the build, and the server running it notices here (in real time, whatever clock the builds use).
    /// </summary>
    private async Task StopRequestedBuildsAsync(CancellationToken cancellationToken)
    {
        foreach (var uuid in await store.ListStopRequestedAsync(ClaimingProcess.CurrentId, cancellationToken))
        {
            queue.Stop(uuid);
        }
    }

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Build {BuildId} started")]
    private static partial void LogBuildStarted(ILogger logger, string buildId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Build {BuildId} finished: {Status} after {Seconds}s")]
    private static partial void LogBuildFinished(ILogger logger, string buildId, string status, long seconds);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Build housekeeping ({What}) failed; it runs again at its next tick")]
    private static partial void LogHousekeepingFailed(ILogger logger, Exception error, string what);

    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "Build {BuildId} was running when the server stopped; marked FAILED")]
    private static partial void LogRecovered(ILogger logger, string buildId);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Killed {Count} processes left running by build {BuildId}")]
    private static partial void LogOrphansKilled(ILogger logger, int count, string buildId);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Worker error while running build {BuildId}")]
    private static partial void LogWorkerError(ILogger logger, Exception error, string buildId);
}
