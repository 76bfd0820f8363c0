namespace Cairn.Application.Pipelines.Executions;

/// <summary>
/// Whether this process runs pipelines: resumes the executions a previous run left in progress and starts a new pipeline's
/// first execution (CreatePipeline's). A process that shares the data directory with a <c>cairn serve</c> (<c>cairn
/// build</c>'s in-process server) must not: executions there are the serving process's to run, and one it stored and
/// never ran would stay InProgress until the serving process restarts.
/// </summary>
public sealed record PipelineEngineOptions(bool RunsPipelines = true);
