namespace Cairn.Storage.Parameters;

/// <param name="KeyPrefix">Only keys starting with this ("" for all).</param>
/// <param name="AfterKey">Resume after this key (exclusive); null from the start.</param>
/// <param name="Now">Parameters expired at this time are left out.</param>
/// <param name="WithTags">Read each parameter's tags (tag filters need them); otherwise the listing's tags are empty.</param>
/// <param name="WithLabels">Read each parameter's labels (Label filters need them); otherwise the listing's labels are empty.</param>
public sealed record ParameterListQuery(string KeyPrefix, string? AfterKey, int Limit, DateTimeOffset Now, bool WithTags = true, bool WithLabels = true);
