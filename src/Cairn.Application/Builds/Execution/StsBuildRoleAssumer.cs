using Cairn.Application.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Storage.Identity;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// Assumes the project's service role through STS as codebuild.amazonaws.com (the role's trust policy must name that
/// service), and words a refusal as CodeBuild does, with the command that fixes it.
/// </summary>
public sealed class StsBuildRoleAssumer(IRoleAssumer roles, IIdentityStore identities) : IBuildRoleAssumer
{
    public async Task<BuildCredentials> AssumeAsync(string roleArn, string sessionName, TimeSpan duration, CancellationToken cancellationToken)
    {
        TemporaryCredentials session;
        try
        {
            session = await roles.AssumeRoleAsServiceAsync(roleArn, BuildService.ServicePrincipal, sessionName, duration, cancellationToken);
        }
        catch (AwsException denied) when (denied.IsAccessDenied)
        {
            throw new BuildRoleException($"CodeBuild is not authorized to perform: sts:AssumeRole on {roleArn}", await FixAsync(roleArn, cancellationToken));
        }

        var accountId = roleArn.Split(':')[4];
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var principal = new Principal(PrincipalKind.AssumedRole, accountId, session.AssumedRoleArn, session.AssumedRoleId, roleName, sessionName);
        return new BuildCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken, session.Expiration, principal);
    }

    /// <summary>
    /// A mistyped role gets the one meant; a missing role is created; an existing one gets a trust policy that lets
    /// CodeBuild assume it.
    /// </summary>
    private async Task<string> FixAsync(string roleArn, CancellationToken cancellationToken)
    {
        var parts = roleArn.Split(':', 6);
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var exists = parts.Length == 6 && await identities.FindRoleAsync(parts[4], roleName, cancellationToken) is not null;
        if (exists)
        {
            return $"the trust policy of role {roleName} does not let codebuild.amazonaws.com assume it; allow it with: {RoleNames.TrustCodeBuildCommand("aws", roleName)}";
        }

        var roles = parts.Length == 6 ? await identities.ListRolesAsync(parts[4], cancellationToken) : [];
        var closest = RoleNames.Closest(roleName, roles.Select(r => r.RoleName));
        var meant = roles.FirstOrDefault(r => r.RoleName == closest);
        return meant is not null
            ? $"role {roleName} does not exist; did you mean {meant.RoleName}? Point the project at it with: aws codebuild update-project --name <project> --service-role {meant.Arn} "
                + $"(or create {roleName} with: {RoleNames.CreateCodeBuildRoleCommand("aws", roleName)})"
            : $"role {roleName} does not exist; create it with: {RoleNames.CreateCodeBuildRoleCommand("aws", roleName)}";
    }
}
