using Cairn.Core.Keys;
using Cairn.Storage.Changes;
using Cairn.Storage.Keys;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Keys;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Keys;

[RequiresPostgres]
public sealed class PostgresKeyStoreTests : KeyStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresKeyStore? _store;

    protected override IKeyStore Store => _store!;

    protected override IChangeFeed<IKeyStore> Changes => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [KeyMigrations.Set], default);
        _store = new PostgresKeyStore(_database);
    }

    [StoreFact]
    public async Task Another_server_sees_a_write_at_once_and_concurrent_first_uses_of_an_alias_on_two_servers_make_one_key()
    {
        await using var otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [KeyMigrations.Set], default);
        var other = new PostgresKeyStore(otherDatabase);
        var scope = new KeyScope("111122223333", "us-east-1");
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        KeyRecord NewKey() => new(scope, Guid.NewGuid().ToString("D"), "d", KeyRecord.EncryptDecrypt, KeyRecord.SymmetricDefault,
            KeyRecord.AwsKmsOrigin, KeyRecord.AwsManaged, Enabled: true, now, [1, 2, 3], null, []);

        var created = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => (i % 2 == 0 ? Store : other).GetOrCreateAliasedKeyAsync(NewKey(), "aws/ssm", now, default))));
        Assert.Single(created.Select(k => k.KeyId).Distinct());
        Assert.Single(await Store.ListKeysAsync(scope, null, 10, default));

        var feed = await Changes.CurrentAsync(default);
        await other.SetEnabledAsync(scope, created[0].KeyId, enabled: false, now, default);
        Assert.False((await Store.FindKeyByAliasAsync(scope, "aws/ssm", default))!.Enabled);
        // Another server's write moves this server's change number within a second (its own writes move it at once).
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (await Changes.CurrentAsync(default) == feed && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(await Changes.CurrentAsync(default) > feed);
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
