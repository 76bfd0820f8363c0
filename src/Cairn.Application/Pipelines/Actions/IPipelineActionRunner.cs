using Cairn.Core.Pipelines;

namespace Cairn.Application.Pipelines.Actions;

/// <summary>
/// Runs one kind of pipeline action (a git source, a CodeBuild build, a deploy to Docker Swarm or Kubernetes) for the
/// engine. The engine owns everything around it: the order of stages and runOrder groups, variables (the configuration
/// arrives with every <c>#{...}</c> resolved), the pipeline's role session, retries, stops, persistence, approvals. A
/// runner only does its action and says how it ended; it never throws for a failure of the action itself (a missing
/// project, a build that failed, an unhealthy deploy): that is an <see cref="ActionOutcome"/> with
/// <see cref="ActionOutcome.Succeeded"/> false, an error code and a message that says how to fix it. The engine
/// records any exception as an internal failure of the action.
/// </summary>
/// <remarks>
/// Runners are registered in DI as <c>IPipelineActionRunner</c>; the engine asks each <see cref="CanRun"/> in
/// registration order. A type no runner takes fails at run time with ActionTypes' "provider X is not available in
/// Cairn; use Y". Cancellation means the execution was stopped (StopPipelineExecution with abandon, or superseded):
/// stop what the action started (StopBuild, no half-applied deploy left behind) and return or throw
/// OperationCanceledException.
/// </remarks>
public interface IPipelineActionRunner
{
    bool CanRun(ActionTypeId type);

    Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken);
}
