using Cairn.Storage.Connections;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Connections;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Connections;

[RequiresPostgres]
public sealed class PostgresCodeConnectionStoreTests : CodeConnectionStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresCodeConnectionStore? _store;

    protected override ICodeConnectionStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresCodeConnectionStore.Migrations], default);
        _store = new PostgresCodeConnectionStore(_database);
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
