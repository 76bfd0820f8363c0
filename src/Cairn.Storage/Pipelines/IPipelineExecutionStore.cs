using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;

namespace Cairn.Storage.Pipelines;

/// <summary>
/// Where the pipeline engine keeps executions (each one whole: its stages and action executions) and the stages'
/// inbound transitions, per account and region. Every change the engine makes is saved as it happens, so a restarted
/// server resumes from here (PipelineExecutionStoreContractTests).
/// </summary>
public interface IPipelineExecutionStore
{
    /// <summary>
    /// Stores a new execution. When it carries a client request token that an execution of the same pipeline already has,
    /// nothing is stored and that execution is returned; otherwise <paramref name="execution"/> itself.
    /// </summary>
    Task<PipelineExecution> CreateAsync(PipelineExecution execution, CancellationToken cancellationToken);

    /// <summary>Replaces a stored execution with this state of it.</summary>
    Task SaveAsync(PipelineExecution execution, CancellationToken cancellationToken);

    Task<PipelineExecution?> GetAsync(PipelineScope scope, string pipelineName, string executionId, CancellationToken cancellationToken);

    /// <summary>The executions with these ids, of any account, region and pipeline (ids are unique in the whole store); an unknown id is left out.</summary>
    Task<IReadOnlyList<PipelineExecution>> FindAsync(IReadOnlyCollection<string> executionIds, CancellationToken cancellationToken);

    /// <summary>The pipeline's executions, newest first, skipping <paramref name="skip"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<PipelineExecution>> ListAsync(PipelineScope scope, string pipelineName, int skip, int limit, CancellationToken cancellationToken);

    /// <summary>Executions in progress or stopping, oldest first: of one pipeline, or of every pipeline when <paramref name="pipelineName"/> is null (a restart).</summary>
    Task<IReadOnlyList<PipelineExecution>> ListActiveAsync(PipelineScope? scope, string? pipelineName, CancellationToken cancellationToken);

    /// <summary>For each stage that has run: the id of the execution that entered it last (a retry enters it again).</summary>
    Task<IReadOnlyDictionary<string, string>> LatestStageExecutionsAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken);

    Task SetTransitionAsync(PipelineScope scope, string pipelineName, StageTransition transition, CancellationToken cancellationToken);

    /// <summary>The transitions that were ever enabled or disabled; a stage not listed has its transition enabled.</summary>
    Task<IReadOnlyList<StageTransition>> ListTransitionsAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken);

    /// <summary>Removes every execution and transition of the pipeline (DeletePipeline).</summary>
    Task DeletePipelineAsync(PipelineScope scope, string pipelineName, CancellationToken cancellationToken);
}
