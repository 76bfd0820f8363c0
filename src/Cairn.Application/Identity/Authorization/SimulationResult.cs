using Cairn.Core.Identity.Policies;

namespace Cairn.Application.Identity.Authorization;

/// <summary>
/// One action on one resource as the simulator decided it: the statements that decided (the matching Allows, or the
/// matching Denies of an explicit deny; none for an implicit deny), the context keys missing, and for an implicit deny the
/// Allow statements whose action and resource match but whose conditions do not hold.
/// </summary>
public sealed record SimulationResult(
    string Action, string Resource, PolicyDecision Decision, IReadOnlyList<MatchedStatement> MatchedStatements,
    IReadOnlyList<string> MissingContextValues, IReadOnlyList<UnmetStatement> UnmetConditions)
{
    /// <summary>For a principal with a permissions boundary, whether the boundary allows it (IAM's PermissionsBoundaryDecisionDetail); else null.</summary>
    public bool? AllowedByPermissionsBoundary { get; init; }

    /// <summary>The boundary's policy name when the boundary, not the identity policies, is what denies.</summary>
    public string? DeniedByPermissionsBoundary { get; init; }
}
