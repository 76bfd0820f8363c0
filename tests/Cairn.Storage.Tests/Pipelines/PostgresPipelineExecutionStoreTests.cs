using Cairn.Storage.Pipelines;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Pipelines;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Pipelines;

[RequiresPostgres]
public sealed class PostgresPipelineExecutionStoreTests : PipelineExecutionStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresPipelineExecutionStore? _store;

    protected override IPipelineExecutionStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresPipelineExecutionStore.Migrations], default);
        _store = new PostgresPipelineExecutionStore(_database);
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
