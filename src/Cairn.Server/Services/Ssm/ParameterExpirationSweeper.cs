using Cairn.Storage.Parameters;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Services.Ssm;

/// <summary>
/// Deletes parameters whose Expiration policy has come due. Reads already treat an expired parameter as deleted,
/// so this only has to catch up: it wakes at the next expiry, or at least every <see cref="MaxSleep"/>.
/// </summary>
internal sealed partial class ParameterExpirationSweeper(IParameterRepository repository, TimeProvider time, ILogger<ParameterExpirationSweeper> logger)
    : BackgroundService
{
    private const int Batch = 100;
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(30);

    /// <summary>Deletes every parameter due at the current time; returns how many went.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (true)
        {
            var now = time.GetUtcNow();
            var due = await repository.ListExpiredAsync(now, Batch, cancellationToken);
            foreach (var parameter in due)
            {
                if (await repository.DeleteIfExpiredAsync(parameter.Scope, parameter.Key, now, cancellationToken))
                {
                    deleted++;
                    LogExpired(logger, parameter.Key, parameter.Scope.Region, parameter.Scope.AccountId);
                }
            }

            if (due.Count < Batch)
            {
                return deleted;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
                var next = await repository.NextExpirationAsync(stoppingToken);
                var sleep = next is { } at ? at - time.GetUtcNow() : MaxSleep;
                sleep = sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > MaxSleep ? MaxSleep : sleep;
                await Task.Delay(sleep + TimeSpan.FromMilliseconds(10), time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogSweepFailed(logger, error);
                await Task.Delay(MaxSleep, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Parameter {Key} in {Region} of account {AccountId} expired and was deleted")]
    private static partial void LogExpired(ILogger logger, string key, string region, string accountId);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Sweeping expired parameters failed; retrying later")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}
