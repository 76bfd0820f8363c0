namespace Cairn.Application.Builds.Execution;

/// <summary>Assumes a project's service role as codebuild.amazonaws.com, as CodeBuild does for each build.</summary>
public interface IBuildRoleAssumer
{
    /// <summary>Throws <see cref="BuildRoleException"/> when the role is missing or its trust policy does not allow CodeBuild.</summary>
    Task<BuildCredentials> AssumeAsync(string roleArn, string sessionName, TimeSpan duration, CancellationToken cancellationToken);
}
