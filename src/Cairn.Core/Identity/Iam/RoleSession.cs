namespace Cairn.Core.Identity.Iam;

/// <summary>Temporary credentials issued by AssumeRole (access key ids start with ASIA).</summary>
/// <param name="RoleArn">The role's ARN, with its path: aws:PrincipalArn of requests made with this session.</param>
/// <param name="AssumedRoleArn">arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.</param>
/// <param name="AssumedRoleId">ROLEID:SESSION.</param>
/// <param name="SessionPolicy">The inline session policy passed to AssumeRole: the session may do only what both it and the role allow.</param>
public sealed record RoleSession(
    string AccessKeyId,
    string SecretAccessKey,
    string SessionToken,
    string AccountId,
    string RoleName,
    string RoleArn,
    string SessionName,
    string AssumedRoleArn,
    string AssumedRoleId,
    DateTimeOffset IssuedAt,
    DateTimeOffset Expiration,
    string? SessionPolicy = null)
{
    public Principal ToPrincipal() => new(PrincipalKind.AssumedRole, AccountId, AssumedRoleArn, AssumedRoleId, RoleName, SessionName);
}
