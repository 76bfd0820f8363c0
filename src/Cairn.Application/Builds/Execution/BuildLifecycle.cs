using Cairn.Application.Builds;
using Cairn.Core.Builds;
using Cairn.Core.Builds.Events;
using Cairn.Runner.Events;
using Cairn.Runner.Masking;
using Cairn.Runner.Phases;
using Cairn.Runner.Processes;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Logs;
using Cairn.Storage.Builds;
using Microsoft.Extensions.Logging;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// The run step every stored build goes through, whoever prepared it: the server's project builds
/// (<see cref="BuildOrchestrator"/>) and `cairn build`'s local ones. It makes the build's one <see cref="BuildEventSink"/>
/// with the log and the record projection as listeners (plus the caller's, such as the console), applies StopBuild
/// marks, the timeout and the caller's stop, turns a fault or an interruption outside the executor into the build's
/// end, and whatever happens kills what the build left running, lets the caller clean up and stores COMPLETED.
/// </summary>
public sealed partial class BuildLifecycle(IBuildStore store, IBuildLogStore logs, ILogStore logGroups, TimeProvider time, ILogger logger, BuildQueue? queue = null)
{
    public const string ClientError = "CLIENT_ERROR";

    /// <summary>The session name a build's service role is assumed with, on the server or for an agent, as CodeBuild names it.</summary>
    public static string RoleSessionName(string buildUuid) => "AWSCodeBuild-" + buildUuid;

    /// <summary>
    /// How often a running build looks for a StopBuild mark itself; null when a worker pool does it for its builds (the
    /// server's). A local build has no worker pool: StopBuild through a server only marks it, and this finds the mark.
    /// </summary>
    public TimeSpan? StopPollInterval { get; init; }

    /// <summary>
    /// Runs <paramref name="claimed"/> (already PROVISIONING) through <paramref name="execute"/>, the preparation of its
    /// kind, which ends it with <see cref="StoredBuildRun.Fail"/> or calls the executor and <see cref="StoredBuildRun.Finish"/>.
    /// <paramref name="cleanUp"/> removes what only that kind made (containers, the workspace); it runs after the build's
    /// marked processes are killed and before COMPLETED is stored. <paramref name="stopping"/> stops the build (the server
    /// shutting down, Ctrl-C). Returns the build as stored at its end.
    /// </summary>
    public async Task<BuildRecord?> RunAsync(
        BuildRecord claimed, IReadOnlyList<IBuildEventListener> listeners, Func<StoredBuildRun, Task> execute, Func<Task> cleanUp, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(execute);
        ArgumentNullException.ThrowIfNull(cleanUp);
        var uuid = claimed.Uuid;
        using var cancellation = new BuildCancellation();
        queue?.Register(uuid, cancellation);
        var writer = logs.OpenWriter(uuid);
        var projection = new BuildRecordProjection(store, uuid);
        var sink = new BuildEventSink(new SecretMasker(), time, [new BuildLogListener(writer), projection, .. listeners], claimed.Phases.LastOrDefault(p => !p.HasEnded), writer.Count);
        var run = new StoredBuildRun(claimed, sink, cancellation, time);
        BuildRecord? stored = null;
        try
        {
            using var shutdown = stopping.Register(cancellation.Stop);
            if (claimed.WritesCloudWatchLogs)
            {
                // CodeBuild makes the group (on a project's first build) and the stream when the build starts.
                await logGroups.EnsureBuildStreamAsync(
                    claimed.Scope.AccountId, claimed.Scope.Region, claimed.LogGroupName, claimed.LogStreamName, uuid, time.GetUtcNow(), CancellationToken.None);
            }

            if ((await store.FindBuildAsync(uuid, CancellationToken.None))?.StopRequested == true)
            {
                cancellation.Stop();
            }

            cancellation.TimeOutAfter(TimeSpan.FromMinutes(claimed.Settings.TimeoutInMinutes), time);
            // Disposing the timer ends the watch without an exception (one thrown costs `cairn build` milliseconds).
            using var watch = StopPollInterval is { } interval ? new PeriodicTimer(interval, time) : null;
            var watcher = watch is null ? Task.CompletedTask : WatchStopMarkAsync(uuid, cancellation, watch);
            try
            {
                await execute(run);
            }
            finally
            {
                watch?.Dispose();
                await watcher;
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellation.Token.IsCancellationRequested)
        {
            LogBuildFault(logger, error, claimed.Id);
            run.Fail(BuildStatuses.Fault, ClientError, $"{error.GetType().Name}: {error.Message}", null);
        }
        catch (OperationCanceledException)
        {
            run.Interrupted();
        }
        finally
        {
            // The build is COMPLETED only once its processes, containers and source are gone.
            sink.Dispose();
            await projection.DisposeAsync();
            // As a container would be torn down: whatever the build left running, even outside its process group (setsid, nohup), goes.
            await MarkedProcesses.KillAsync("CODEBUILD_BUILD_ID", claimed.Id, CancellationToken.None);
            await cleanUp();
            await writer.DisposeAsync();
            // Never leave a build IN_PROGRESS: a path that forgot to decide its end is Cairn's fault.
            var complete = run.Completion ?? (build => build.IsComplete ? null
                : build.Complete(BuildStatuses.Fault, time.GetUtcNow(), BuildStatuses.Fault, [new PhaseContext(ClientError, "the build ended without a status")]));
            stored = await store.UpdateBuildAsync(uuid, complete, CancellationToken.None);
            queue?.Unregister(uuid);
            queue?.Notify();
        }

        return stored;
    }

    private async Task WatchStopMarkAsync(string uuid, BuildCancellation cancellation, PeriodicTimer watch)
    {
        // Ends when the build ends: the timer is disposed, so the wait returns false.
        while (await watch.WaitForNextTickAsync(CancellationToken.None))
        {
            if ((await store.FindBuildAsync(uuid, CancellationToken.None))?.StopRequested == true)
            {
                cancellation.Stop();
                return;
            }
        }
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Error, Message = "Build {BuildId} failed inside Cairn")]
    private static partial void LogBuildFault(ILogger logger, Exception error, string buildId);
}
