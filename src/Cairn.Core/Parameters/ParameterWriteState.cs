namespace Cairn.Core.Parameters;

/// <summary>What a write sees of the parameter, read inside the same transaction that will store the new version.</summary>
/// <param name="latest">The current version, or null when the parameter does not exist (or has expired).</param>
/// <param name="versionCount">How many versions are kept (at most 100).</param>
/// <param name="oldestVersion">The oldest kept version, which a 101st write would drop.</param>
/// <param name="oldestHasLabels">A labelled oldest version is never dropped: the write fails instead.</param>
/// <param name="countInTier">Parameters of the account and region in a tier, asked only when a limit could be reached.</param>
public sealed class ParameterWriteState(
    ParameterVersion? latest,
    int versionCount,
    long oldestVersion,
    bool oldestHasLabels,
    Func<string, long> countInTier)
{
    public ParameterVersion? Latest { get; } = latest;

    public int VersionCount { get; } = versionCount;

    public long OldestVersion { get; } = oldestVersion;

    public bool OldestHasLabels { get; } = oldestHasLabels;

    public long CountInTier(string tier) => countInTier(tier);

    public static ParameterWriteState New(Func<string, long> countInTier) => new(null, 0, 0, false, countInTier);
}
