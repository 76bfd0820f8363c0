namespace Cairn.Storage.Parameters;

/// <param name="KeyPrefix">Only keys starting with this ("" for all).</param>
/// <param name="AfterKey">Resume after this key (exclusive); null from the start.</param>
/// <param name="Now">Parameters expired at this time are left out.</param>
public sealed record ParameterListQuery(string KeyPrefix, string? AfterKey, int Limit, DateTimeOffset Now);
