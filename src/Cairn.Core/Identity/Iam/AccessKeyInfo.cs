namespace Cairn.Core.Identity.Iam;

/// <summary>An IAM user's long-term access key. The secret is only ever shown by CreateAccessKey.</summary>
/// <param name="Status">Active or Inactive.</param>
public sealed record AccessKeyInfo(
    string AccessKeyId,
    string SecretAccessKey,
    string AccountId,
    string UserName,
    string Status,
    DateTimeOffset CreateDate,
    DateTimeOffset? LastUsedDate = null,
    string? LastUsedService = null,
    string? LastUsedRegion = null)
{
    public bool IsActive => Status == "Active";
}
