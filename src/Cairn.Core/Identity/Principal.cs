namespace Cairn.Core.Identity;

public enum PrincipalKind
{
    Root,
    User,
    AssumedRole,
    Service,
}

/// <summary>Who is making a request, as IAM names them.</summary>
/// <param name="Arn">e.g. <c>arn:aws:iam::000000000000:root</c>, <c>arn:aws:sts::000000000000:assumed-role/r/s</c>.</param>
/// <param name="UserId">GetCallerIdentity's UserId: the account id for root, AIDA... for users, AROA...:session for roles.</param>
/// <param name="Name">User name, or role name for an assumed role; null for root.</param>
/// <param name="SessionName">Role session name for assumed roles.</param>
/// <param name="FromSessionToken">Signed with GetSessionToken's credentials: the user's (or root's) rights, without IAM and most of STS.</param>
public sealed record Principal(
    PrincipalKind Kind,
    string AccountId,
    string Arn,
    string UserId,
    string? Name = null,
    string? SessionName = null,
    bool FromSessionToken = false)
{
    public bool IsRoot => Kind == PrincipalKind.Root;

    public static Principal Root(string accountId) =>
        new(PrincipalKind.Root, accountId, $"arn:aws:iam::{accountId}:root", accountId);
}
