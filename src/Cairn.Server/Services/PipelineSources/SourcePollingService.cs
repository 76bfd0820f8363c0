using System.Threading.Channels;
using Cairn.Application.Pipelines.Actions.Source;
using Cairn.Application.Pipelines.Executions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Services.PipelineSources;

/// <summary>
/// Runs <see cref="SourceChangeDetector"/> every <see cref="SourcePollingOptions.Interval"/>, and at once for the
/// repository a push hook names (<see cref="RequestPass"/>). One pass at a time; a pass that fails is logged and the
/// next one runs as usual.
/// </summary>
internal sealed partial class SourcePollingService(IServiceProvider services, SourcePollingOptions options, ILogger<SourcePollingService> logger) : BackgroundService
{
    private readonly Channel<string> _requests = Channel.CreateBounded<string>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>Asks for a pass over the actions whose repository <paramref name="repository"/> names; never waits.</summary>
    public void RequestPass(string repository) => _requests.Writer.TryWrite(repository);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        // The execution engine registers IPipelineExecutions; without one there is nothing to start.
        if (services.GetService<IPipelineExecutions>() is null)
        {
            LogNoEngine(logger);
            return;
        }

        var detector = services.GetRequiredService<SourceChangeDetector>();

        var next = DateTimeOffset.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = next - DateTimeOffset.UtcNow;
            string? repository = null;
            if (wait > TimeSpan.Zero)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(wait);
                try
                {
                    repository = await _requests.Reader.ReadAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The interval is up: a full pass.
                }
            }

            if (repository is null)
            {
                next = DateTimeOffset.UtcNow + options.Interval;
            }

            await PassAsync(detector, repository, stoppingToken);
        }
    }

    private async Task PassAsync(SourceChangeDetector detector, string? repository, CancellationToken stoppingToken)
    {
        try
        {
            foreach (var happened in await detector.PollAsync(repository, stoppingToken))
            {
                if (happened.Problem is not null)
                {
                    LogProblem(logger, happened.PipelineName, happened.ActionName, happened.Problem);
                }
                else if (happened.Filtered)
                {
                    LogFiltered(logger, happened.PipelineName, happened.ActionName, happened.Ref, happened.Commit);
                }
                else
                {
                    LogStarted(logger, happened.PipelineName, happened.ActionName, happened.Ref, happened.Commit, happened.ExecutionId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception error)
        {
            LogPassFailed(logger, error);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Source change: pipeline {Pipeline} action {Action}, {Ref} at {Commit}; execution {ExecutionId}")]
    private static partial void LogStarted(ILogger logger, string pipeline, string action, string? @ref, string? commit, string? executionId);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Source change left out by the trigger's filters: pipeline {Pipeline} action {Action}, {Ref} at {Commit}")]
    private static partial void LogFiltered(ILogger logger, string pipeline, string action, string? @ref, string? commit);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Change detection cannot look at pipeline {Pipeline} action {Action}: {Problem}")]
    private static partial void LogProblem(ILogger logger, string pipeline, string action, string problem);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "No pipeline execution engine is registered: change detection is off")]
    private static partial void LogNoEngine(ILogger logger);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "A change detection pass failed; the next one runs as usual")]
    private static partial void LogPassFailed(ILogger logger, Exception error);
}
