using Cairn.Core.Audit;
using Cairn.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Audit;

/// <summary>
/// Keeps the audit log to <see cref="CairnServerOptions.AuditRetention"/> (90 days by default, as CloudTrail's event
/// history): every hour it deletes older entries, a batch at a time so requests being audited never wait long behind it.
/// A retention of zero keeps everything.
/// </summary>
internal sealed partial class AuditRetentionSweeper(IAuditLog audit, CairnServerOptions options, TimeProvider time, ILogger<AuditRetentionSweeper> logger)
    : BackgroundService
{
    private const int Batch = 5_000;
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Deletes every entry older than the retention; returns how many went.</summary>
    public async Task<long> SweepOnceAsync(CancellationToken cancellationToken)
    {
        if (options.AuditRetention <= TimeSpan.Zero)
        {
            return 0;
        }

        var before = time.GetUtcNow() - options.AuditRetention;
        long deleted = 0;
        int removed;
        do
        {
            removed = await audit.DeleteOlderThanAsync(before, Batch, cancellationToken);
            deleted += removed;
        }
        while (removed == Batch);

        if (deleted > 0)
        {
            LogPruned(logger, deleted, before);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogSweepFailed(logger, error);
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Deleted {Count} audit entries recorded before {Before:o} (retention)")]
    private static partial void LogPruned(ILogger logger, long count, DateTimeOffset before);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Audit retention sweep failed; retrying in an hour")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}
