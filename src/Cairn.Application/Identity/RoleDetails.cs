using Cairn.Core.Identity.Iam;

namespace Cairn.Application.Identity;

/// <summary>A role with its tags, as GetRole returns it.</summary>
public sealed record RoleDetails(IamRole Role, IReadOnlyList<IamTag> Tags);
