using Cairn.Application.Pipelines.Actions;
using Cairn.Core.Pipelines;

namespace Cairn.Application.Pipelines.Executions;

/// <summary>
/// How something inside Cairn (a source's change detection, a push hook) starts a pipeline: as the pipeline itself,
/// with no caller to authorize, as AWS's triggers do. StartPipelineExecution from a caller goes through the execution
/// service's authorized method instead; both end in the same engine.
/// </summary>
public interface IPipelineExecutions
{
    /// <summary>Starts an execution of the pipeline's latest version; its id, or null when the pipeline no longer exists.</summary>
    Task<string?> StartByTriggerAsync(PipelineScope scope, string pipelineName, ExecutionTrigger trigger, CancellationToken cancellationToken);
}

/// <summary>
/// What started an execution, as GetPipelineExecution's <c>trigger</c> shows it: <see cref="TriggerType"/> is AWS's
/// ExecutionTrigger type (StartPipelineExecution, PollForSourceChanges, Webhook, WebhookV2, ...) and
/// <see cref="TriggerDetail"/> its detail (the caller's ARN, or the source action and commit). <see cref="SourceRevisions"/>
/// pins the source actions' revisions (by action name), as StartPipelineExecution's sourceRevisions does.
/// </summary>
public sealed record ExecutionTrigger(string TriggerType, string TriggerDetail)
{
    public IReadOnlyDictionary<string, SourceRevisionRequest> SourceRevisions { get; init; } = new Dictionary<string, SourceRevisionRequest>();
}
