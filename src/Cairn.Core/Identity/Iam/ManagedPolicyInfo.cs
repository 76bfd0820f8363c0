namespace Cairn.Core.Identity.Iam;

/// <summary>A managed policy: customer managed (arn:aws:iam::ACCOUNT:policy/...) or AWS managed (arn:aws:iam::aws:policy/...).</summary>
/// <param name="AccountId">Owner account, or "aws" for AWS managed policies.</param>
public sealed record ManagedPolicyInfo(
    string Arn,
    string AccountId,
    string PolicyName,
    string PolicyId,
    string Path,
    string DefaultVersionId,
    string? Description,
    DateTimeOffset CreateDate,
    DateTimeOffset UpdateDate)
{
    public bool IsAwsManaged => AccountId == "aws";
}
