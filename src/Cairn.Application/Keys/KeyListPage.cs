namespace Cairn.Application.Keys;

/// <summary>One page of a KMS listing; <paramref name="NextAfter"/> is the last item's name when more follow (the wire makes it a marker).</summary>
public sealed record KeyListPage<T>(IReadOnlyList<T> Items, string? NextAfter);
