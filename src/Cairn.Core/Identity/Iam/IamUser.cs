namespace Cairn.Core.Identity.Iam;

/// <param name="UserId">AIDA... : stable across renames, GetCallerIdentity's UserId.</param>
public sealed record IamUser(string AccountId, string UserName, string UserId, string Path, string Arn, DateTimeOffset CreateDate);
