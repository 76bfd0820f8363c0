namespace Cairn.Storage.Builds;

/// <summary>A kept buildspec: its size in bytes (UTF-8) and its text, null when it was over the size asked for.</summary>
public sealed record KeptBuildspec(long Bytes, string? Text);
