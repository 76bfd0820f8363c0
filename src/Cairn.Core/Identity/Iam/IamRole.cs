namespace Cairn.Core.Identity.Iam;

/// <param name="RoleId">AROA... : the first half of an assumed role's UserId.</param>
/// <param name="AssumeRolePolicyDocument">The trust policy as submitted.</param>
/// <param name="MaxSessionDuration">Seconds, 3600 to 43200.</param>
/// <param name="PermissionsBoundary">The ARN of the managed policy set as the role's permissions boundary, or null.</param>
public sealed record IamRole(
    string AccountId,
    string RoleName,
    string RoleId,
    string Path,
    string Arn,
    DateTimeOffset CreateDate,
    string AssumeRolePolicyDocument,
    string? Description,
    int MaxSessionDuration,
    DateTimeOffset? LastUsedDate = null,
    string? LastUsedRegion = null,
    string? PermissionsBoundary = null);
