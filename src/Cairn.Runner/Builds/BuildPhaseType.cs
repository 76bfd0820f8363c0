namespace Cairn.Runner.Builds;

/// <summary>CodeBuild's build phases, in the order a build goes through them.</summary>
public enum BuildPhaseType
{
    Submitted,
    Queued,
    Provisioning,
    DownloadSource,
    Install,
    PreBuild,
    Build,
    PostBuild,
    UploadArtifacts,
    Finalizing,
    Completed,
}
