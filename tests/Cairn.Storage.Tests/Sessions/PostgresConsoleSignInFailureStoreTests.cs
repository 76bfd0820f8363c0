using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Sessions;
using Cairn.Storage.Sessions;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Sessions;

[RequiresPostgres]
public sealed class PostgresConsoleSignInFailureStoreTests : ConsoleSignInFailureStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresDatabase? _otherDatabase;

    protected override IConsoleSignInFailureStore Store => new PostgresConsoleSignInFailureStore(_database!);

    protected override IConsoleSignInFailureStore OtherServer => new PostgresConsoleSignInFailureStore(_otherDatabase!);

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresConsoleSessionStore.Migrations], default);
        _otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresConsoleSessionStore.Migrations], default);
    }

    public async Task DisposeAsync()
    {
        foreach (var database in new[] { _otherDatabase, _database })
        {
            if (database is not null)
            {
                await database.DisposeAsync();
            }
        }

        if (_testDatabase is not null)
        {
            await _testDatabase.DisposeAsync();
        }
    }
}
