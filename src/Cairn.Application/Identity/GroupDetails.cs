using Cairn.Core.Identity.Iam;

namespace Cairn.Application.Identity;

/// <summary>A group with its members, as GetGroup returns it.</summary>
public sealed record GroupDetails(IamGroup Group, IReadOnlyList<IamUser> Members);
