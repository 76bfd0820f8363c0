namespace Cairn.Storage.Builds;

/// <summary>One packaged artifact file: its path relative to the build's artifacts ('/'-separated) and size in bytes.</summary>
public sealed record BuildArtifactFile(string Path, long Size);
