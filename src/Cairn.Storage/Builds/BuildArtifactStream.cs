namespace Cairn.Storage.Builds;

/// <summary>An artifact file opened for reading: its size in bytes and its content, which the caller disposes.</summary>
public sealed record BuildArtifactStream(long Size, Stream Content);
