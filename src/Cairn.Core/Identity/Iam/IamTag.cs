namespace Cairn.Core.Identity.Iam;

public sealed record IamTag(string Key, string Value);
