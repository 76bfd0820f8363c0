using Cairn.Server.Hosting;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Cairn.Storage.Files;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Builds;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Server.Services.CodeBuild.Execution;

/// <summary>
/// The build store and the build log store of a data directory, opened without starting a server: where `cairn build`
/// stores its builds, in the same database and log files a `cairn serve` on that directory reads (ListBuilds,
/// BatchGetBuilds, `cairn logs`). Only the builds' tables and logs are opened: no key, no identity, no API.
/// </summary>
public sealed class LocalBuildStorage : IDisposable
{
    private readonly SqliteDatabase _database;

    private LocalBuildStorage(SqliteDatabase database, IBuildLogStore logs)
    {
        _database = database;
        Builds = new SqliteBuildStore(database);
        Logs = logs;
    }

    public IBuildStore Builds { get; }

    public IBuildLogStore Logs { get; }

    /// <summary>Opens (creating them owner-only when new) the data directory, its database and its builds directory, as the server makes them.</summary>
    public static LocalBuildStorage Open(string dataDirectory, Func<string, string?> getVariable)
    {
        var server = new CairnServerOptions { DataDirectory = dataDirectory };
        if (!Directory.Exists(server.DataDirectory))
        {
            Directory.CreateDirectory(server.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var logs = new FileBuildLogStore(new BuildWorkspaces(server, CodeBuildOptions.FromEnvironment(getVariable)).Root);
        return new LocalBuildStorage(SqliteDatabase.Open(server.DatabasePath, SqliteStorage.Migrations), logs);
    }

    /// <summary>The run step over this storage, for builds this process runs itself.</summary>
    public BuildLifecycle Lifecycle(TimeProvider time) => new(Builds, Logs, time, NullLogger.Instance);

    public void Dispose() => _database.Dispose();
}
