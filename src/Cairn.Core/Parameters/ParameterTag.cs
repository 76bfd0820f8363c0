namespace Cairn.Core.Parameters;

public sealed record ParameterTag(string Key, string Value);
