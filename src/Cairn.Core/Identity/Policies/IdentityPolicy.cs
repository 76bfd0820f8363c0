namespace Cairn.Core.Identity.Policies;

/// <summary>A policy in force for a principal, with where it comes from (for explaining a decision).</summary>
/// <param name="Source">e.g. <c>arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess</c>, or <c>role/build inline policy ssm-read</c>.</param>
public sealed record IdentityPolicy(string Source, PolicyDocument Document);
