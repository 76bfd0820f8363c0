using Cairn.Storage.DataProtection;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.DataProtection;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.DataProtection;

[RequiresPostgres]
public sealed class PostgresDataProtectionKeyStoreTests : DataProtectionKeyStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresDataProtectionKeyStore? _store;

    protected override IDataProtectionKeyStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresDataProtectionKeyStore.Migrations], default);
        _store = new PostgresDataProtectionKeyStore(_database);
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
