namespace Cairn.Core.Builds;

/// <summary>
/// A project's logsConfig.cloudWatchLogs: <see cref="Enabled"/> (status ENABLED, the default), the group (null: the
/// default /aws/codebuild/&lt;project&gt;) and the stream name prefix (null: the stream is the build's uuid alone).
/// </summary>
public sealed record CloudWatchLogsSettings(bool Enabled, string? GroupName, string? StreamName)
{
    public static CloudWatchLogsSettings Default { get; } = new(true, null, null);
}
