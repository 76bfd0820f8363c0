namespace Cairn.Core.Identity.Iam;

/// <param name="VersionId">v1, v2, ...</param>
public sealed record PolicyVersionInfo(string PolicyArn, string VersionId, string Document, bool IsDefaultVersion, DateTimeOffset CreateDate);
