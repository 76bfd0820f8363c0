namespace Cairn.Storage.Builds;

/// <summary>
/// Which builds to list, newest first: all of the scope's, or one project's, optionally of one status, starting below
/// <see cref="Before"/> (a page's <see cref="BuildPage.NextBefore"/>): keyset paging, as fast on page 500 as on page 1.
/// </summary>
public sealed record BuildListQuery(string? ProjectName, string? Status, long? Before, int Limit);
