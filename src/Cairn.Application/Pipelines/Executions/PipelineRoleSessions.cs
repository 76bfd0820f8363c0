using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;

namespace Cairn.Application.Pipelines.Executions;

/// <summary>
/// The pipeline acting as its role: roleArn assumed through STS as codepipeline.amazonaws.com (the role's trust policy
/// must name that service), handed to runners as a request context of that assumed-role principal.
/// </summary>
public sealed class PipelineRoleSessions(IRoleAssumer roles, TimeProvider time)
{
    private static readonly TimeSpan Duration = TimeSpan.FromHours(1);

    /// <summary>The role's session, or the refusal's message with the command that fixes it.</summary>
    public async Task<(RequestContext? Session, string? Refusal)> AssumeAsync(
        string roleArn, string region, string actionExecutionId, CancellationToken cancellationToken)
    {
        const string sessionName = "codepipeline";
        TemporaryCredentials session;
        try
        {
            session = await roles.AssumeRoleAsServiceAsync(roleArn, PipelineService.ServicePrincipal, sessionName, Duration, cancellationToken);
        }
        catch (AwsException denied) when (denied.IsAccessDenied)
        {
            var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
            return (null, $"CodePipeline is not authorized to perform AssumeRole on role {roleArn}. {denied.Message} "
                + $"Fix: make sure role {roleName} exists and its trust policy lets codepipeline.amazonaws.com assume it: "
                + $"aws iam update-assume-role-policy --role-name {roleName} --policy-document "
                + "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"codepipeline.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'");
        }

        var parts = roleArn.Split(':');
        var principal = new Principal(
            PrincipalKind.AssumedRole, parts[4], session.AssumedRoleArn, session.AssumedRoleId, roleArn[(roleArn.LastIndexOf('/') + 1)..], sessionName);
        return (new RequestContext(principal, region, actionExecutionId, null, time.GetUtcNow(), session.AccessKeyId), null);
    }
}
