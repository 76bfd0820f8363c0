namespace Cairn.Core.Parameters;

/// <summary>What a write stores: the new version, whether the oldest goes, the tags of a new parameter, the expiry.</summary>
public sealed record ParameterWriteDecision(ParameterVersion Version, bool DropOldest, IReadOnlyList<ParameterTag> Tags, DateTimeOffset? ExpiresAt);
