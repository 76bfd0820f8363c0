using Cairn.Core.Identity.Iam;

namespace Cairn.Application.Identity;

/// <summary>A user with its tags, as GetUser returns it.</summary>
public sealed record UserDetails(IamUser User, IReadOnlyList<IamTag> Tags);
