namespace Cairn.Storage.Builds;

/// <summary>One page of build ids; <see cref="NextAfter"/> is the position to continue after, or null at the end.</summary>
public sealed record BuildIdPage(IReadOnlyList<string> Ids, long? NextAfter);
