using Cairn.Storage.Builds;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Builds;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Builds;

[RequiresPostgres]
public sealed class PostgresBuildAgentStoreTests : BuildAgentStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresBuildAgentStore? _store;

    protected override IBuildAgentStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [BuildMigrations.Set], default);
        _store = new PostgresBuildAgentStore(_database);
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
