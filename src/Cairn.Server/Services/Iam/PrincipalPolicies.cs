using Cairn.Core.Identity.Policies;

namespace Cairn.Server.Services.Iam;

/// <summary>Everything authorization needs to know about an identity, loaded once per identity change.</summary>
/// <param name="PrincipalArn">aws:PrincipalArn: the user's or the role's ARN (with path).</param>
internal sealed record PrincipalPolicies(
    IReadOnlyList<EffectivePolicy> Sources,
    IReadOnlyList<IdentityPolicy> Policies,
    IReadOnlyDictionary<string, string> Tags,
    string? PrincipalArn)
{
    public static readonly PrincipalPolicies None = new([], [], new Dictionary<string, string>(), null);
}
