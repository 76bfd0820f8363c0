using Cairn.Storage.Logs;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Builds;
using Cairn.Storage.Sqlite.Logs;

namespace Cairn.Storage.Tests.Logs;

public sealed class SqliteLogStoreTests : LogStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-logstore-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteLogStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [BuildMigrations.Set, LogMigrations.Set]);
        Store = new SqliteLogStore(_database);
    }

    protected override ILogStore Store { get; }

    [Fact]
    public async Task The_migration_makes_the_groups_and_streams_of_builds_that_ran_before_it()
    {
        var path = Path.Combine(_directory, "old.db");
        using (var old = SqliteDatabase.Open(path, [BuildMigrations.Set]))
        {
            await old.WriteAsync(c => c.Execute(
                "INSERT INTO codebuild_builds (uuid, account_id, region, project_name, build_number, settings, initiator, start_time, status, current_phase, phases, exported_variables, stop_requested)"
                + " VALUES ('u1', ?, ?, 'app', 1, '{}', 'me', 1000, 'SUCCEEDED', 'COMPLETED', '[]', '[]', 0)", Account, Region), CancellationToken.None);
        }

        using var migrated = SqliteDatabase.Open(path, [BuildMigrations.Set, LogMigrations.Set]);
        var store = new SqliteLogStore(migrated);

        var stream = await store.GetStreamAsync(Account, Region, "/aws/codebuild/app", "u1", CancellationToken.None);
        Assert.Equal("u1", stream?.BuildUuid);
        Assert.Equal(1000, (await store.GetGroupAsync(Account, Region, "/aws/codebuild/app", CancellationToken.None))!.Created.ToUnixTimeMilliseconds());
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
