namespace Cairn.Core.Identity.Iam;

/// <summary>A policy embedded in one user, group or role.</summary>
public sealed record InlinePolicy(IamEntityKind Kind, string EntityName, string PolicyName, string Document);
