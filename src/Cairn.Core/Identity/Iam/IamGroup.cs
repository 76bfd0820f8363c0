namespace Cairn.Core.Identity.Iam;

public sealed record IamGroup(string AccountId, string GroupName, string GroupId, string Path, string Arn, DateTimeOffset CreateDate);
