using Cairn.Core.Buildspec;

namespace Cairn.Runner.Builds;

public static class BuildPhaseTypeNames
{
    /// <summary>The phase type as CodeBuild writes it: SUBMITTED, ..., DOWNLOAD_SOURCE, ..., COMPLETED.</summary>
    public static string ToCodeBuildName(this BuildPhaseType phase) => phase switch
    {
        BuildPhaseType.Submitted => "SUBMITTED",
        BuildPhaseType.Queued => "QUEUED",
        BuildPhaseType.Provisioning => "PROVISIONING",
        BuildPhaseType.DownloadSource => "DOWNLOAD_SOURCE",
        BuildPhaseType.Install => "INSTALL",
        BuildPhaseType.PreBuild => "PRE_BUILD",
        BuildPhaseType.Build => "BUILD",
        BuildPhaseType.PostBuild => "POST_BUILD",
        BuildPhaseType.UploadArtifacts => "UPLOAD_ARTIFACTS",
        BuildPhaseType.Finalizing => "FINALIZING",
        BuildPhaseType.Completed => "COMPLETED",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };

    /// <summary>The build phase a buildspec phase runs in.</summary>
    public static BuildPhaseType ToBuildPhase(this BuildspecPhaseName name) => name switch
    {
        BuildspecPhaseName.Install => BuildPhaseType.Install,
        BuildspecPhaseName.PreBuild => BuildPhaseType.PreBuild,
        BuildspecPhaseName.Build => BuildPhaseType.Build,
        BuildspecPhaseName.PostBuild => BuildPhaseType.PostBuild,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
