using Cairn.Core.Builds;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;

namespace Cairn.Application.Builds.Logs;

/// <summary>
/// One build's log, opened by <see cref="BuildLogService"/> for a caller allowed to read it: reads by range, search and
/// follow, never the whole log at once. <see cref="Build"/> is the build as it was when the log was opened.
/// </summary>
public sealed class BuildLog
{
    private readonly IBuildLogStore _logs;
    private readonly IBuildStore _store;

    internal BuildLog(BuildRecord build, IBuildLogStore logs, IBuildStore store) => (Build, _logs, _store) = (build, logs, store);

    public BuildRecord Build { get; }

    public ValueTask<BuildLogInfo> DescribeAsync(CancellationToken cancellationToken) => _logs.DescribeAsync(Build.Uuid, cancellationToken);

    public ValueTask<BuildLogPage> ReadAsync(BuildLogRange range, CancellationToken cancellationToken) => _logs.ReadAsync(Build.Uuid, range, cancellationToken);

    public ValueTask<BuildLogSearchResult> SearchAsync(BuildLogSearch search, CancellationToken cancellationToken) => _logs.SearchAsync(Build.Uuid, search, cancellationToken);

    /// <summary>Pages from <paramref name="fromIndex"/> on as they are written, until the log is complete (woken by writes, never polling).</summary>
    public IAsyncEnumerable<BuildLogPage> FollowAsync(long fromIndex, CancellationToken cancellationToken) => _logs.FollowAsync(Build.Uuid, fromIndex, cancellationToken);

    /// <summary>The build as stored now (its phases and status move on while it runs).</summary>
    public async Task<BuildRecord> RefreshAsync(CancellationToken cancellationToken) => await _store.FindBuildAsync(Build.Uuid, cancellationToken) ?? Build;
}
