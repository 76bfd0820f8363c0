using Cairn.Core.Identity.Policies;

namespace Cairn.Application.Identity.Authorization;

/// <summary>Everything authorization needs to know about an identity, loaded once per identity change.</summary>
/// <param name="PrincipalArn">aws:PrincipalArn: the user's or the role's ARN (with path).</param>
/// <param name="EntityId">The user's UserId or the role's RoleId: a name reused by a new entity gets a new id.</param>
public sealed record PrincipalPolicies(
    IReadOnlyList<EffectivePolicy> Sources,
    IReadOnlyList<IdentityPolicy> Policies,
    IReadOnlyDictionary<string, string> Tags,
    string? PrincipalArn,
    string? EntityId = null)
{
    /// <summary>The user's or role's permissions boundary (a managed policy), or null: then only the identity policies count.</summary>
    public EffectivePolicy? Boundary { get; init; }

    public static readonly PrincipalPolicies None = new([], [], new Dictionary<string, string>(), null);
}
