namespace Cairn.Core.Builds;

/// <summary>
/// What a build started by a pipeline's CodeBuild action carries beyond its project: where its input artifacts are,
/// which one is primary, and where its output artifacts go. Set only in-process by the action runner (StartBuild over
/// the wire cannot set it); stored with the build, so a build can be run, recovered and read back without the pipeline.
/// </summary>
/// <param name="PipelineName">The pipeline; the build's initiator is <c>codepipeline/&lt;name&gt;</c>.</param>
/// <param name="Inputs">The input artifacts, the primary one first (extracted into CODEBUILD_SRC_DIR; each other one into
/// its own directory, CODEBUILD_SRC_DIR_&lt;name&gt;).</param>
/// <param name="Outputs">The output artifacts in declaration order: the first is the buildspec's <c>artifacts</c>, each
/// other one the <c>secondary-artifacts</c> entry of the same name (all of them by name when there are several).</param>
/// <param name="ArtifactStore">The pipeline's artifact store, where outputs are written.</param>
/// <param name="KeyPrefix">The key prefix of the outputs in it (pipeline and execution).</param>
public sealed record PipelineBuild(
    string PipelineName,
    IReadOnlyList<PipelineArtifact> Inputs,
    IReadOnlyList<PipelineArtifact> Outputs,
    string ArtifactStore,
    string KeyPrefix)
{
    public string Initiator => "codepipeline/" + PipelineName;
}

/// <summary>A named pipeline artifact and, once it exists, its archive in the artifact store (<see cref="Store"/> and <see cref="Key"/>).</summary>
public sealed record PipelineArtifact(string Name, string? Store = null, string? Key = null)
{
    /// <summary>The S3 ARN form CodeBuild shows for it (arn:aws:s3:::store/key), or null before it is stored.</summary>
    public string? S3Arn => Store is null || Key is null ? null : $"arn:aws:s3:::{Store}/{Key}";
}
