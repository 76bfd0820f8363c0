namespace Cairn.Storage.Artifacts;

/// <summary>
/// One stored artifact archive: <see cref="Store"/> is the pipeline's artifact store (its declaration's
/// <c>artifactStore.location</c>, an S3 bucket name on AWS) and <see cref="Key"/> the archive's key in it, as AWS
/// names them in GetPipelineState and in a CodeBuild build's CODEPIPELINE source location (arn:aws:s3:::store/key).
/// </summary>
public sealed record ArtifactLocation(string Store, string Key)
{
    /// <summary>The S3 ARN form CodeBuild shows for a pipeline's artifact (source.location of a CODEPIPELINE build).</summary>
    public string S3Arn => $"arn:aws:s3:::{Store}/{Key}";
}
