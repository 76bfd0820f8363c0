using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Pipelines;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Notifications;
using Cairn.Storage.Postgres.Pipelines;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Pipelines;

[RequiresPostgres]
public sealed class PostgresPipelineExecutionStoreTests : PipelineExecutionStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresNotifications? _notifications;
    private PostgresPipelineExecutionStore? _store;

    protected override IPipelineExecutionStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresPipelineExecutionStore.Migrations], default);
        _notifications = Listener(_database);
        _store = new PostgresPipelineExecutionStore(_database, _notifications);
    }

    private static PostgresNotifications Listener(PostgresDatabase database) => new(database);

    [StoreFact]
    public async Task Another_servers_write_moves_the_change_number_without_a_look_at_the_database()
    {
        await using var otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [PostgresPipelineExecutionStore.Migrations], default);
        await using var otherNotifications = Listener(otherDatabase);
        var other = new PostgresPipelineExecutionStore(otherDatabase, otherNotifications);
        var before = await _store!.CurrentAsync(default);

        await other.SetTransitionAsync(new PipelineScope("000000000000", "us-east-1"), "app",
            new StageTransition("Build", false, "held", "arn:aws:iam::000000000000:root", DateTimeOffset.UnixEpoch), default);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await _store.CurrentAsync(default) == before)
        {
            await Task.Delay(10, timeout.Token);
        }

        Assert.Equal(before, await _store.CurrentAsync(default) - 1);
    }

    public async Task DisposeAsync()
    {
        if (_notifications is not null)
        {
            await _notifications.DisposeAsync();
        }

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
