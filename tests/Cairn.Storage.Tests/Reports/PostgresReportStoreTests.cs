using Cairn.Storage.Reports;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Reports;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Reports;

[RequiresPostgres]
public sealed class PostgresReportStoreTests : ReportStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresReportStore? _store;

    protected override IReportStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresReportStore.Migrations], default);
        _store = new PostgresReportStore(_database);
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
