namespace Cairn.Core.Identity.Iam;

/// <summary>An IAM instance profile: a container for one role (IAM's quota), named and pathed like a role.</summary>
/// <param name="RoleNames">The roles in the profile (at most one), as stored.</param>
public sealed record InstanceProfile(
    string AccountId,
    string InstanceProfileName,
    string InstanceProfileId,
    string Path,
    string Arn,
    DateTimeOffset CreateDate,
    IReadOnlyList<string> RoleNames);
