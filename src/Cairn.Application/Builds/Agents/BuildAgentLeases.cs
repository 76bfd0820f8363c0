using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Application.Builds.Agents;

/// <summary>
/// A server's sweep: a server that runs builds fails agent builds whose lease ran out (<see cref="BuildAgentService.ExpireLeasesAsync"/>);
/// every server closes the log writers it holds for agent builds that ended elsewhere (<see cref="BuildAgentService.CloseFinishedLogsAsync"/>).
/// </summary>
public sealed partial class BuildAgentLeases(BuildAgentService agents, CodeBuildOptions options, TimeProvider time, ILogger<BuildAgentLeases> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.AgentLeaseSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (options.RunsBuilds)
                    {
                        await agents.ExpireLeasesAsync(stoppingToken);
                    }

                    await agents.CloseFinishedLogsAsync(stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // The database busy for a moment: the next tick looks again.
                    LogSweepFailed(logger, error);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "The agent lease sweep failed; it runs again at its next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}
