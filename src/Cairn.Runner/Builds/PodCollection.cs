namespace Cairn.Runner.Builds;

/// <summary>
/// What a pod's script sends back after POST_BUILD (when INSTALL and PRE_BUILD did not stop the build): the exported
/// variables by name, and the paths under the source (relative, '/'-separated) that artifacts and reports match in,
/// plus the cache's when the build succeeded, as one gzipped tar of at most <see cref="MaxArchiveBytes"/>.
/// </summary>
public sealed record PodCollection(
    IReadOnlyList<string> ExportNames,
    IReadOnlyList<string> Roots,
    IReadOnlyList<string> CacheRoots,
    long MaxArchiveBytes)
{
    public static PodCollection None { get; } = new([], [], [], 0);

    public bool CollectsFiles => Roots.Count > 0 || CacheRoots.Count > 0;
}
