using Cairn.Storage.BuildLogs;

namespace Cairn.Application.Logs;

/// <summary>Deleting a build's log from the CloudWatch Logs side (a deleted stream or group, retention): only once the build has finished writing it.</summary>
internal static class FinishedBuildLogs
{
    /// <summary>Deletes the log when it is complete and (with <paramref name="lastBefore"/>) its last line is older than that; whether it did.</summary>
    public static async Task<bool> TryDeleteAsync(IBuildLogStore buildLogs, string uuid, DateTimeOffset? lastBefore, CancellationToken cancellationToken)
    {
        var info = await buildLogs.DescribeAsync(uuid, cancellationToken);
        if (!info.IsComplete || (lastBefore is { } cutoff && !(info.LastTimestamp < cutoff)))
        {
            return false;
        }

        try
        {
            await buildLogs.DeleteAsync(uuid, cancellationToken);
            return true;
        }
        catch (InvalidOperationException)
        {
            // Opened for writing again since (a recovered build's last lines): it stays, as a running build's does.
            return false;
        }
    }
}
