using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Application.Builds.Queue;
using Cairn.Core.Builds;
using Cairn.Server.Hosting;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Cairn.Storage.Files;
using Cairn.Storage.Logs;
using Cairn.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Server.Services.CodeBuild.Queue;

/// <summary>
/// The way in beside the queue: the build store and the build log store of a data directory, opened without starting a
/// server, for the builds this process runs itself (`cairn build`). They go in the same database and log files a
/// `cairn serve` on that directory reads (ListBuilds, BatchGetBuilds, `cairn logs`), recorded as claimed by this process.
/// Only the builds' tables and logs are opened: no key, no identity, no API.
/// </summary>
public sealed class LocalBuildStorage : IDisposable
{
    private readonly IDisposable _database;

    private LocalBuildStorage(IBuildStore builds, IDisposable database, IBuildLogStore logs, ILogStore logGroups)
    {
        Builds = builds;
        _database = database;
        Logs = logs;
        LogGroups = logGroups;
    }

    public IBuildStore Builds { get; }

    public IBuildLogStore Logs { get; }

    /// <summary>CloudWatch Logs' groups and streams: a build's stream is made there, as the server's builds' are.</summary>
    public ILogStore LogGroups { get; }

    /// <summary>Opens (creating them owner-only when new) the data directory, its database and its builds directory, as the server makes them.</summary>
    public static LocalBuildStorage Open(string dataDirectory, Func<string, string?> getVariable)
    {
        var server = new CairnServerOptions { DataDirectory = dataDirectory };
        if (!Directory.Exists(server.DataDirectory))
        {
            Directory.CreateDirectory(server.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var logs = new FileBuildLogStore(new BuildWorkspaces(server.DataDirectory, CodeBuildOptions.FromEnvironment(getVariable)).Root);
        var (builds, logGroups, database) = SqliteStorage.OpenBuildStore(new SqliteStorageOptions(server.DatabasePath));
        return new LocalBuildStorage(builds, database, logs, logGroups);
    }

    /// <summary>
    /// Stores a build that this process runs at once, outside the queue: numbered like any other, PROVISIONING, with this
    /// process as its runner, so no worker claims it and a server's recovery leaves it alone while this process lives.
    /// </summary>
    public Task<BuildRecord> AddRunningAsync(BuildRecord submitted, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        return Builds.AddClaimedBuildAsync(submitted.BeginPhase(BuildPhaseTypes.Provisioning, now), ClaimingProcess.CurrentId, now, cancellationToken);
    }

    /// <summary>The run step over this storage; with no worker pool, it looks for StopBuild's mark itself every second.</summary>
    public BuildLifecycle Lifecycle(TimeProvider time) => new(Builds, Logs, LogGroups, time, NullLogger.Instance) { StopPollInterval = TimeSpan.FromSeconds(1) };

    public void Dispose() => _database.Dispose();
}
