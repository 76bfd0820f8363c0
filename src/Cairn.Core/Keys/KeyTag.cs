namespace Cairn.Core.Keys;

public sealed record KeyTag(string TagKey, string TagValue);
