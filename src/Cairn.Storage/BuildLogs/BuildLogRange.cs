namespace Cairn.Storage.BuildLogs;

/// <summary>
/// Which events to read: those with an index in [<see cref="From"/>, <see cref="To"/>) written in
/// [<see cref="Since"/>, <see cref="Until"/>), at most <see cref="Limit"/> of them, the first ones or, with
/// <see cref="FromEnd"/>, the last ones.
/// </summary>
public sealed record BuildLogRange
{
    public long From { get; init; }

    public long To { get; init; } = long.MaxValue;

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public int Limit { get; init; } = int.MaxValue;

    public bool FromEnd { get; init; }
}
