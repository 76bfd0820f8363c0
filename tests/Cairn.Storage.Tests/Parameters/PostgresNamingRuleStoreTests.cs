using Cairn.Storage.Parameters;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Parameters;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Parameters;

[RequiresPostgres]
public sealed class PostgresNamingRuleStoreTests : NamingRuleStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresNamingRuleStore? _store;

    protected override INamingRuleStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresNamingRuleStore.Migrations], default);
        _store = new PostgresNamingRuleStore(_database);
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
