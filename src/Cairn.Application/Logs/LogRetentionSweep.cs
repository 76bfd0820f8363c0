using Cairn.Storage.BuildLogs;
using Cairn.Storage.Logs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Application.Logs;

/// <summary>
/// Enforces log groups' retention (PutRetentionPolicy): every <see cref="Interval"/> (and once at start) it deletes the
/// stored events older than their group's retention, and a build's whole log once the build has finished and its last
/// line is older than that. AWS too deletes expired events some time after they expire, not at once.
/// </summary>
public sealed partial class LogRetentionSweep(ILogStore store, IBuildLogStore buildLogs, TimeProvider time, ILogger<LogRetentionSweep> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    /// <summary>One pass over every group with a retention, as of now; how many stored events and build logs it deleted.</summary>
    public async Task<(long Events, int BuildLogs)> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        long events = 0;
        var logs = 0;
        foreach (var group in await store.ListGroupsWithRetentionAsync(cancellationToken))
        {
            var cutoff = now - TimeSpan.FromDays(group.RetentionInDays!.Value);
            events += await store.DeleteEventsBeforeAsync(group.AccountId, group.Region, group.Name, cutoff, cancellationToken);
            foreach (var stream in await store.ListStreamsAsync(group.AccountId, group.Region, group.Name, cancellationToken))
            {
                if (stream.BuildUuid is { } uuid && await FinishedBuildLogs.TryDeleteAsync(buildLogs, uuid, cutoff, cancellationToken))
                {
                    logs++;
                }
            }
        }

        return (events, logs);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogSweepFailed(logger, error);
            }

            await Task.Delay(Interval, time, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Log retention sweep failed; it runs again in 10 minutes")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}
