using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Artifacts;
using Cairn.Storage.Pipelines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Application.Pipelines.Artifacts;

/// <summary>
/// Removes pipeline artifacts nobody can use any more, as S3 lifecycle rules would on AWS (Cairn's artifact store is its
/// own, out of the user's reach). Every hour (the first pass 5 minutes after start) it lists the executions that hold
/// artifacts and removes the artifacts of: an execution that no longer exists (its pipeline was deleted, and
/// DeletePipeline's own removal failed or an action still running wrote after it); and, with
/// <see cref="PipelineEngineOptions.ArtifactRetention"/>, an execution that ended before the cutoff, unless it is kept:
/// the latest execution of each stage (RetryStageExecution retries only that one), each stage's latest successful
/// execution (RollbackStage's and automatic rollbacks' usual target), and the rollback target of any kept or running execution.
/// </summary>
/// <remarks>
/// Several servers on one database may sweep at once: each decision is read from the shared stores (an execution's
/// record is stored before any of its artifacts, so an archive whose execution is missing was orphaned), and removing
/// an execution's prefix twice removes nothing the second time. A rollback to an older target is refused by the engine
/// with the retention named (<see cref="Core.Errors.AwsErrors.RollbackArtifactRemoved"/>).
/// </remarks>
public sealed partial class PipelineArtifactSweep(
    IArtifactStore artifacts, IPipelineExecutionStore executions, PipelineEngineOptions options, TimeProvider time, ILogger<PipelineArtifactSweep> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>The first pass waits this long after start, so a server's start-up does not wait behind it.</summary>
    public static readonly TimeSpan FirstPassDelay = TimeSpan.FromMinutes(5);

    private const int PageSize = 100;

    /// <summary>One pass as of now: how many executions' artifacts went because their execution is gone, and because they expired.</summary>
    public async Task<(int Orphaned, int Expired)> SweepAsync(CancellationToken cancellationToken)
    {
        var held = (await artifacts.ListExecutionsAsync(cancellationToken)).Where(h => Guid.TryParse(h.ExecutionId, out _)).ToList();
        var known = new Dictionary<string, PipelineExecution>(StringComparer.Ordinal);
        foreach (var batch in held.Select(h => h.ExecutionId).Distinct(StringComparer.Ordinal).Chunk(500))
        {
            foreach (var execution in await executions.FindAsync(batch, cancellationToken))
            {
                known[execution.ExecutionId] = execution;
            }
        }

        var cutoff = options.ArtifactRetentionDays is null ? (DateTimeOffset?)null : time.GetUtcNow() - options.ArtifactRetention;
        var kept = new Dictionary<(PipelineScope, string), HashSet<string>>();
        var (orphaned, expired) = (0, 0);
        foreach (var holder in held)
        {
            if (!known.TryGetValue(holder.ExecutionId, out var execution) || execution.PipelineName != holder.PipelineName)
            {
                await artifacts.DeletePrefixAsync(holder.Store, holder.Prefix, cancellationToken);
                orphaned++;
                continue;
            }

            if (cutoff is null || ExecutionStatuses.IsActive(execution.Status) || execution.LastUpdateTime >= cutoff)
            {
                continue;
            }

            var pipeline = (execution.Scope, execution.PipelineName);
            if (!kept.TryGetValue(pipeline, out var keep))
            {
                kept[pipeline] = keep = await KeptAsync(execution.Scope, execution.PipelineName, cancellationToken);
            }

            if (!keep.Contains(execution.ExecutionId))
            {
                await artifacts.DeletePrefixAsync(holder.Store, holder.Prefix, cancellationToken);
                expired++;
            }
        }

        if (orphaned + expired > 0)
        {
            LogSwept(logger, orphaned, expired);
        }

        return (orphaned, expired);
    }

    /// <summary>
    /// After DeletePipeline: removes the artifacts of the pipeline's executions (<paramref name="executionIds"/>, which the
    /// engine removed), whatever store they are in. Never throws: a failure is logged and the next pass removes them.
    /// </summary>
    public async Task DeletePipelineArtifactsAsync(string pipelineName, IReadOnlyCollection<string> executionIds, CancellationToken cancellationToken)
    {
        if (executionIds.Count == 0)
        {
            return;
        }

        try
        {
            var ids = executionIds.ToHashSet(StringComparer.Ordinal);
            foreach (var holder in await artifacts.ListExecutionsAsync(cancellationToken))
            {
                if (holder.PipelineName == pipelineName && ids.Contains(holder.ExecutionId))
                {
                    await artifacts.DeletePrefixAsync(holder.Store, holder.Prefix, cancellationToken);
                }
            }
        }
        catch (Exception error)
        {
            LogDeleteFailed(logger, pipelineName, error);
        }
    }

    /// <summary>The executions of the pipeline whose artifacts stay whatever their age (see the class's summary).</summary>
    private async Task<HashSet<string>> KeptAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken)
    {
        var latest = await executions.LatestStageExecutionsAsync(scope, pipelineName, cancellationToken);
        var keep = latest.Values.ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, PipelineExecution>(StringComparer.Ordinal);
        var withoutSuccess = latest.Keys.ToHashSet(StringComparer.Ordinal);
        for (var skip = 0; withoutSuccess.Count > 0; skip += PageSize)
        {
            var page = await executions.ListAsync(scope, pipelineName, skip, PageSize, cancellationToken);
            foreach (var execution in page)
            {
                seen[execution.ExecutionId] = execution;
                foreach (var stage in withoutSuccess.Where(s => execution.Stage(s)?.Status == ExecutionStatuses.Succeeded).ToList())
                {
                    keep.Add(execution.ExecutionId);
                    withoutSuccess.Remove(stage);
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }
        }

        // A rollback re-runs a stage with its target's artifacts: the target of a kept or running execution stays too.
        var pending = new Queue<string>(keep.Concat((await executions.ListActiveAsync(scope, pipelineName, cancellationToken)).Select(a =>
        {
            seen[a.ExecutionId] = a;
            return a.ExecutionId;
        })));
        while (pending.TryDequeue(out var id))
        {
            var execution = seen.GetValueOrDefault(id) ?? await executions.GetAsync(scope, pipelineName, id, cancellationToken);
            if (execution?.RollbackTarget is { } target && keep.Add(target))
            {
                pending.Enqueue(target);
            }
        }

        return keep;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A process that runs no pipelines (cairn build's in-process server) leaves them to the serving process.
        if (!options.RunsPipelines)
        {
            return;
        }

        var wait = FirstPassDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, time, stoppingToken);
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogSweepFailed(logger, error);
            }

            wait = Interval;
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information,
        Message = "Pipeline artifact sweep removed the artifacts of {Orphaned} executions that no longer exist and {Expired} that ended before the retention")]
    private static partial void LogSwept(ILogger logger, int orphaned, int expired);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Pipeline artifact sweep failed; it runs again in an hour")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning,
        Message = "Removing the artifacts of deleted pipeline {Pipeline} failed; the pipeline is deleted, and the artifact sweep removes them within an hour")]
    private static partial void LogDeleteFailed(ILogger logger, string pipeline, Exception error);
}
