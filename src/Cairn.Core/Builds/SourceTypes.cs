namespace Cairn.Core.Builds;

/// <summary>CodeBuild's SourceType values and which of them Cairn fetches with git.</summary>
public static class SourceTypes
{
    public const string NoSource = "NO_SOURCE";
    public const string CodeCommit = "CODECOMMIT";
    public const string CodePipeline = "CODEPIPELINE";
    public const string GitHub = "GITHUB";
    public const string GitLab = "GITLAB";
    public const string GitLabSelfManaged = "GITLAB_SELF_MANAGED";
    public const string S3 = "S3";
    public const string Bitbucket = "BITBUCKET";
    public const string GitHubEnterprise = "GITHUB_ENTERPRISE";

    public static IReadOnlyList<string> All { get; } =
        [CodeCommit, CodePipeline, GitHub, GitLab, GitLabSelfManaged, S3, Bitbucket, GitHubEnterprise, NoSource];

    /// <summary>Types whose location is a git repository (any URL git can clone, or a local directory as Cairn's extension).</summary>
    public static bool IsGit(string type) =>
        type is CodeCommit or GitHub or GitLab or GitLabSelfManaged or Bitbucket or GitHubEnterprise;
}
