namespace Cairn.Core.Identity.Iam;

/// <param name="UserId">AIDA... : stable across renames, GetCallerIdentity's UserId.</param>
/// <param name="PermissionsBoundary">The ARN of the managed policy set as the user's permissions boundary, or null.</param>
public sealed record IamUser(string AccountId, string UserName, string UserId, string Path, string Arn, DateTimeOffset CreateDate, string? PermissionsBoundary = null);
