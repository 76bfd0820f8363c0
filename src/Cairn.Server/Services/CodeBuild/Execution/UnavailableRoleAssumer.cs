namespace Cairn.Server.Services.CodeBuild.Execution;

/// <summary>Stands in until the identity module (IAM and STS) is part of the server: no role can be assumed.</summary>
internal sealed class UnavailableRoleAssumer : IBuildRoleAssumer
{
    public Task<BuildCredentials> AssumeAsync(string roleArn, string sessionName, TimeSpan duration, CancellationToken cancellationToken) =>
        throw new BuildRoleException(
            $"CodeBuild is not authorized to perform: sts:AssumeRole on {roleArn}",
            "this Cairn server has no identity service (IAM and STS), so builds cannot assume their service role.");
}
