using Cairn.Core.Buildspec;

namespace Cairn.Core.Builds;

/// <summary>CodeBuild's BuildPhaseType values, in the order a build goes through them.</summary>
public static class BuildPhaseTypes
{
    public const string Submitted = "SUBMITTED";
    public const string Queued = "QUEUED";
    public const string Provisioning = "PROVISIONING";
    public const string DownloadSource = "DOWNLOAD_SOURCE";
    public const string Install = "INSTALL";
    public const string PreBuild = "PRE_BUILD";
    public const string Build = "BUILD";
    public const string PostBuild = "POST_BUILD";
    public const string UploadArtifacts = "UPLOAD_ARTIFACTS";
    public const string Finalizing = "FINALIZING";
    public const string Completed = "COMPLETED";

    public static IReadOnlyList<string> Order { get; } =
        [Submitted, Queued, Provisioning, DownloadSource, Install, PreBuild, Build, PostBuild, UploadArtifacts, Finalizing, Completed];

    /// <summary>The build phase a buildspec phase runs in.</summary>
    public static string Of(BuildspecPhaseName name) => name switch
    {
        BuildspecPhaseName.Install => Install,
        BuildspecPhaseName.PreBuild => PreBuild,
        BuildspecPhaseName.Build => Build,
        BuildspecPhaseName.PostBuild => PostBuild,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
