using Cairn.Core.Keys;
using Cairn.Storage.Changes;
using Cairn.Storage.Keys;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Keys;

namespace Cairn.Storage.Tests.Keys;

public sealed class SqliteKeyStoreTests : KeyStoreContractTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-keystore-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteDatabase _database;
    private readonly SqliteKeyStore _store;

    public SqliteKeyStoreTests()
    {
        Directory.CreateDirectory(_directory);
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [KeyMigrations.Set]);
        _store = new SqliteKeyStore(_database);
    }

    protected override IKeyStore Store => _store;

    protected override IChangeFeed<IKeyStore> Changes => _store;

    [Fact]
    public async Task A_cached_key_follows_this_process_writes_at_once_and_another_process_writes_within_the_delay()
    {
        using var otherDatabase = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [KeyMigrations.Set]);
        var server = new SqliteKeyStore(_database, TimeSpan.FromMilliseconds(100));
        var other = new SqliteKeyStore(otherDatabase);
        var scope = new KeyScope("111122223333", "us-east-1");
        var now = DateTimeOffset.UtcNow;
        var key = new KeyRecord(scope, Guid.NewGuid().ToString("D"), "d", KeyRecord.EncryptDecrypt, KeyRecord.SymmetricDefault,
            KeyRecord.AwsKmsOrigin, KeyRecord.CustomerManaged, Enabled: true, now, [1, 2, 3], "{}", []);
        await server.InsertKeyAsync(key, CancellationToken.None);
        Assert.True(await server.TryInsertAliasAsync(new AliasRecord(scope, "alias/app", key.KeyId, now, now), CancellationToken.None));
        Assert.True((await server.FindKeyByAliasAsync(scope, "alias/app", CancellationToken.None))!.Enabled);

        await server.SetEnabledAsync(scope, key.KeyId, enabled: false, now, CancellationToken.None);
        Assert.False((await server.FindKeyAsync(scope, key.KeyId, CancellationToken.None))!.Enabled);
        Assert.False((await server.FindKeyByAliasAsync(scope, "alias/app", CancellationToken.None))!.Enabled);

        await other.SetEnabledAsync(scope, key.KeyId, enabled: true, now, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!(await server.FindKeyByAliasAsync(scope, "alias/app", CancellationToken.None))!.Enabled && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True((await server.FindKeyByAliasAsync(scope, "alias/app", CancellationToken.None))!.Enabled);
        Assert.True((await server.FindKeyAsync(scope, key.KeyId, CancellationToken.None))!.Enabled);
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
