namespace Cairn.Storage.BuildLogs;

/// <summary>A log at a glance: its event count, the times of its first and last events (null when empty), whether it is complete.</summary>
public sealed record BuildLogInfo(long Count, DateTimeOffset? FirstTimestamp, DateTimeOffset? LastTimestamp, bool IsComplete)
{
    public static readonly BuildLogInfo None = new(0, null, null, false);
}
