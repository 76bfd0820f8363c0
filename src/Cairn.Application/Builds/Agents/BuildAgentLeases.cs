using Microsoft.Extensions.Hosting;

namespace Cairn.Application.Builds.Agents;

/// <summary>The sweep of a server that runs builds: fails agent builds whose lease ran out (<see cref="BuildAgentService.ExpireLeasesAsync"/>).</summary>
public sealed class BuildAgentLeases(BuildAgentService agents, CodeBuildOptions options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunsBuilds)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.AgentLeaseSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await agents.ExpireLeasesAsync(stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // The database busy for a moment: the next tick looks again.
                    _ = error;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
