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
public sealed record PipelineEngineOptions(bool RunsPipelines = true, TimeSpan ArtifactRetention = default)
{
    /// <summary>The retention in whole days, as the option gives it; null when artifacts are kept forever.</summary>
    public int? ArtifactRetentionDays => ArtifactRetention > TimeSpan.Zero ? (int)Math.Ceiling(ArtifactRetention.TotalDays) : null;
}
