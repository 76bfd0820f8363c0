using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Sessions;
using Cairn.Storage.Sessions;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Sessions;

[RequiresPostgres]
public sealed class PostgresConsoleSessionStoreTests : ConsoleSessionStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresConsoleSessionStore? _store;

    protected override IConsoleSessionStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresConsoleSessionStore.Migrations], default);
        _store = new PostgresConsoleSessionStore(_database);
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
