namespace Cairn.Core.Parameters;

/// <summary>One parameter in a listing: its latest version, its tags and where each of its labels points.</summary>
public sealed record ParameterListing(
    ParameterSnapshot Parameter,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, long> Labels);
