using Cairn.Application.Builds.Queue;

namespace Cairn.Application.Pipelines.Executions;

/// <summary>
/// Whether this process runs pipelines: resumes the executions a previous run left in progress and starts a new pipeline's
/// first execution (CreatePipeline's). A process that shares the data directory with a <c>cairn serve</c> (<c>cairn
/// build</c>'s in-process server) must not: executions there are the serving process's to run, and one it stored and
/// never ran would stay InProgress until the serving process restarts.
/// <see cref="ArtifactRetention"/> is how long the artifacts of an ended execution are kept (cairn serve
/// --pipeline-artifact-retention-days; zero, the default, keeps them forever as an S3 bucket without lifecycle rules
/// does): <see cref="Artifacts.PipelineArtifactSweep"/> removes older ones but those a retry or rollback may still need.
/// </summary>
/// <param name="Runner">This process as the runner of the actions it launches (<c>host/pid/start-ms</c>, as a build's claimer); tests give each in-process server its own.</param>
/// <param name="RunnerTimeout">How long a runner on another host may go without a heartbeat before its actions are run again elsewhere.</param>
/// <param name="SweepInterval">How often this process says it is alive, takes over the actions of runners that are gone, and stops its actions another server ended.</param>
public sealed record PipelineEngineOptions(
    bool RunsPipelines = true, TimeSpan ArtifactRetention = default, string? Runner = null, TimeSpan? RunnerTimeout = null, TimeSpan? SweepInterval = null)
{
    /// <summary>The retention in whole days, as the option gives it; null when artifacts are kept forever.</summary>
    public int? ArtifactRetentionDays => ArtifactRetention > TimeSpan.Zero ? (int)Math.Ceiling(ArtifactRetention.TotalDays) : null;

    public string RunnerId => Runner ?? ClaimingProcess.CurrentId;

    public TimeSpan RunnerLeaseTimeout => RunnerTimeout ?? ClaimingProcess.LeaseTimeout;

    public TimeSpan SweepEvery => SweepInterval ?? ClaimingProcess.HeartbeatInterval;
}
