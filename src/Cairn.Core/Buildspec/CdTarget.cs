namespace Cairn.Core.Buildspec;

/// <summary>Where one <c>cd</c> goes: a path (null when it depends on variables, ~, or is absolute), relative to the source root when <see cref="FromRoot"/>.</summary>
internal sealed record CdTarget(string? Path, bool FromRoot, int Offset);
