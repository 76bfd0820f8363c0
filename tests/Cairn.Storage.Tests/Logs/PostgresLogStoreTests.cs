using Cairn.Storage.BuildLogs;
using Cairn.Storage.Logs;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Logs;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Logs;

[RequiresPostgres]
public sealed class PostgresLogStoreTests : LogStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresLogStore? _store;

    protected override ILogStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [LogMigrations.Set], default);
        _store = new PostgresLogStore(_database);
    }

    [StoreFact]
    public async Task Two_servers_appending_to_one_stream_number_every_event_once_in_commit_order()
    {
        await using var otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [LogMigrations.Set], default);
        var other = new PostgresLogStore(otherDatabase);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        Assert.True(await Store.CreateGroupAsync(new LogGroupRecord(Account, Region, "/app", now, null, "STANDARD", null, false, new Dictionary<string, string>()), default));
        Assert.Equal(StreamCreation.Created, await other.CreateStreamAsync(Account, Region, "/app", "s", now, default));
        var stream = (await Store.GetStreamAsync(Account, Region, "/app", "s", default))!;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? Store : other).PutEventsAsync(
            stream.Id, [new LogEventInput(now.AddSeconds(i), $"a{i}"), new LogEventInput(now.AddSeconds(i), $"b{i}")], now, default))));

        var page = await Store.ReadEventsAsync(stream.Id, new BuildLogRange(), default);
        Assert.Equal(40, page.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), page.Events.Select(e => e.Index));
        Assert.All(Enumerable.Range(0, 20), i =>
        {
            var a = page.Events.Single(e => e.Message == $"a{i}").Index;
            Assert.Equal(a + 1, page.Events.Single(e => e.Message == $"b{i}").Index);
        });
        Assert.Equal((10 * 2 * 2) + (10 * 3 * 2), (await other.GetStreamAsync(Account, Region, "/app", "s", default))!.StoredBytes);
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_testDatabase is not null)
        {
            await _testDatabase.DisposeAsync();
        }
    }
}
