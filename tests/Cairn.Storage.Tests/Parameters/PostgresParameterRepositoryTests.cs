using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Parameters;
using Cairn.Storage.Tests.Postgres;
using Npgsql;

namespace Cairn.Storage.Tests.Parameters;

[RequiresPostgres]
public sealed class PostgresParameterRepositoryTests : ParameterRepositoryContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresParameterRepository? _repository;

    protected override IParameterRepository Repository => _repository!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [ParameterMigrations.Set], default);
        _repository = new PostgresParameterRepository(_database);
    }

    [StoreFact]
    public async Task Tier_counts_follow_creates_upgrades_deletes_and_regions()
    {
        await PutAsync(Input("/count/a", "x"));
        await PutAsync(Input("/count/b", "x"));
        await PutAsync(Input("/count/c", "x", tier: ParameterTiers.Advanced));
        await PutAsync(Input("/count/a", "y", type: null, overwrite: true, tier: ParameterTiers.Advanced));
        await PutAsync(Input("/count/d", "x"), West);
        await Repository.DeleteAsync(East, "count/b", T0, default);

        var counted = await QueryAsync("SELECT region || '/' || tier || '=' || count FROM cairn_parameters.tier_counts WHERE count > 0 ORDER BY region, tier");
        var actual = await QueryAsync("SELECT region || '/' || tier || '=' || COUNT(*) FROM cairn_parameters.parameters GROUP BY region, tier ORDER BY region, tier");
        Assert.Equal(["us-east-1/Advanced=2", "us-west-2/Standard=1"], counted);
        Assert.Equal(actual, counted);
    }

    [StoreFact]
    public async Task A_SecureString_is_stored_exactly_as_handed_over_so_only_ciphertext_reaches_the_database()
    {
        // The service encrypts before the store; the store must keep that text as is (no decoding, no second copy).
        const string Ciphertext = "AQICAHh0ZXN0LWNpcGhlcnRleHQtb25seQ==";
        await PutAsync(Input("/secure", Ciphertext, type: ParameterTypes.SecureString));

        Assert.Equal([Ciphertext], await QueryAsync("SELECT value FROM cairn_parameters.versions WHERE key = 'secure'"));
        Assert.Equal(Ciphertext, (await Repository.GetAsync(East, "secure", default))!.Version.Value);
    }

    [StoreFact]
    public async Task Servers_opening_one_database_at_once_migrate_it_once()
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [ParameterMigrations.Set], default)));
        foreach (var database in opened)
        {
            await database.DisposeAsync();
        }

        Assert.Equal(["parameters/1", "parameters/2"], await QueryAsync("SELECT module || '/' || version FROM cairn.schema_migrations"));
    }

    [StoreFact]
    public async Task A_wrong_password_or_an_unreachable_server_is_a_clear_error_without_the_password()
    {
        var wrong = new NpgsqlConnectionStringBuilder(_testDatabase!.ConnectionString) { Password = "not-the-password" };
        var refused = await Assert.ThrowsAsync<PostgresStorageException>(() =>
            PostgresDatabase.OpenAsync(wrong.ConnectionString, [ParameterMigrations.Set], default));
        Assert.Contains($"127.0.0.1:{PostgresCluster.Shared.Port}/{_testDatabase.Name}", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", refused.Message, StringComparison.Ordinal);

        var unreachable = new NpgsqlConnectionStringBuilder(_testDatabase.ConnectionString) { Port = 1, Timeout = 2 };
        var down = await Assert.ThrowsAsync<PostgresStorageException>(() =>
            PostgresDatabase.OpenAsync(unreachable.ConnectionString, [ParameterMigrations.Set], default));
        Assert.Contains("reachable", down.Message, StringComparison.Ordinal);

        var garbled = await Assert.ThrowsAsync<PostgresStorageException>(() =>
            PostgresDatabase.OpenAsync("Hots=db1;Database=cairn", [ParameterMigrations.Set], default));
        Assert.Contains("connection string is not valid", garbled.Message, StringComparison.Ordinal);
    }

    private async Task<List<string>> QueryAsync(string sql) =>
        await _database!.ReadAsync(session => session.QueryAsync(sql, row => row.GetString(0)), default);

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
