using Cairn.Core.Builds;

namespace Cairn.Storage.Builds;

/// <summary>One page of whole builds, newest first; <see cref="NextBefore"/> continues the listing, or is null at its end.</summary>
public sealed record BuildPage(IReadOnlyList<BuildRecord> Builds, long? NextBefore);
