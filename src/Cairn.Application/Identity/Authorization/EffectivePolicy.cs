using Cairn.Core.Identity.Policies;

namespace Cairn.Application.Identity.Authorization;

/// <summary>A policy in force for an identity, and where it comes from as the IAM simulator names it.</summary>
/// <param name="Name">The managed policy's name, or the inline policy's name.</param>
/// <param name="SourceType">user, group, role (inline), aws-managed, user-managed, or none (simulator input).</param>
public sealed record EffectivePolicy(IdentityPolicy Policy, string Name, string SourceType);
