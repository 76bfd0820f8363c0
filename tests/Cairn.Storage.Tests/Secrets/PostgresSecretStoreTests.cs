using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Secrets;
using Cairn.Storage.Secrets;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Secrets;

[RequiresPostgres]
public sealed class PostgresSecretStoreTests : SecretStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresSecretStore? _store;

    protected override ISecretStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [SecretMigrations.Set], default);
        _store = new PostgresSecretStore(_database);
    }

    [StoreFact]
    public async Task Values_are_stored_as_the_ciphertext_given_never_anything_else()
    {
        var secret = new SecretRecord(Account, Region, "s", $"arn:aws:secretsmanager:{Region}:{Account}:secret:s-AbCdEf", null, null, DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch, null, null, null, [], null, [new SecretVersionRecord("v", ["AWSCURRENT"], DateTimeOffset.UnixEpoch, "b3BhcXVl", false, "k", null)]);
        await Store.CreateAsync(secret, CancellationToken.None);

        var stored = await _database!.ReadAsync(session => session.QueryAsync("SELECT ciphertext FROM cairn_secrets.versions", row => row.GetString(0)), default);

        Assert.Equal(["b3BhcXVl"], stored);
    }

    [StoreFact]
    public async Task Concurrent_updates_of_one_secret_through_two_servers_each_apply_to_the_other_result()
    {
        await using var otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [SecretMigrations.Set], default);
        var other = new PostgresSecretStore(otherDatabase);
        var secret = new SecretRecord(Account, Region, "counter", $"arn:aws:secretsmanager:{Region}:{Account}:secret:counter-AbCdEf", null, null,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, null, null, [], null, []);
        await Store.CreateAsync(secret, CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => (i % 2 == 0 ? Store : other).UpdateAsync(Account, Region, "counter",
            s => s with { Tags = [.. s.Tags, new SecretTag($"t{i}", "x")] }, CancellationToken.None))));

        Assert.Equal(10, (await Store.GetAsync(Account, Region, "counter", CancellationToken.None))!.Tags.Count);
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
