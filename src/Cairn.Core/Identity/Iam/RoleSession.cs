namespace Cairn.Core.Identity.Iam;

/// <summary>
/// Temporary credentials issued by AssumeRole or GetSessionToken (access key ids start with ASIA). A GetSessionToken
/// session stands for its user (or the root user): RoleName is the user's name, RoleArn and AssumedRoleArn the user's
/// ARN (or the root's), AssumedRoleId the user's id, SessionName empty.
/// </summary>
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
    /// <summary>Issued by GetSessionToken: its ARN is an IAM user's or the root's, not an assumed role's.</summary>
    public bool IsSessionToken => !AssumedRoleArn.Contains(":assumed-role/", StringComparison.Ordinal);

    public Principal ToPrincipal() => !IsSessionToken
        ? new(PrincipalKind.AssumedRole, AccountId, AssumedRoleArn, AssumedRoleId, RoleName, SessionName)
        : AssumedRoleArn.EndsWith(":root", StringComparison.Ordinal)
            ? Principal.Root(AccountId) with { FromSessionToken = true }
            : new(PrincipalKind.User, AccountId, AssumedRoleArn, AssumedRoleId, RoleName, FromSessionToken: true);
}
