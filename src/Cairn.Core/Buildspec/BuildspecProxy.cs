namespace Cairn.Core.Buildspec;

/// <summary>The <c>proxy</c> section, for builds behind an explicit proxy server.</summary>
public sealed record BuildspecProxy(bool? UploadArtifacts, bool? Logs, SourceLocation Location);
