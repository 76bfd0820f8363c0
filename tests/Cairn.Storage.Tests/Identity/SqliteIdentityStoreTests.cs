using Cairn.Core.Identity.Iam;
using Cairn.Core.Keys;
using Cairn.Storage.Changes;
using Cairn.Storage.Identity;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Identity;

namespace Cairn.Storage.Tests.Identity;

public sealed class SqliteIdentityStoreTests : IdentityStoreContractTests, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "cairn-identity-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly MasterKey _masterKey = MasterKey.Generate();
    private SqliteDatabase? _database;
    private SqliteIdentityStore? _store;

    private SqliteDatabase Open() => SqliteDatabase.Open(_path, [IdentityMigrations.Set]);

    /// <summary>The contract suite's store, on its own database handle (the SQLite-only tests below open theirs).</summary>
    private SqliteIdentityStore Shared => _store ??= new SqliteIdentityStore(_database ??= Open(), _masterKey);

    protected override IIdentityStore Store => Shared;

    protected override IChangeFeed<IIdentityStore> Changes => Shared;

    public void Dispose()
    {
        _database?.Dispose();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Writes_by_another_process_move_the_generation_within_the_delay_and_own_writes_at_once()
    {
        using var serverDatabase = Open();
        using var otherDatabase = Open();
        var server = new SqliteIdentityStore(serverDatabase, _masterKey, TimeSpan.FromMilliseconds(100));
        var other = new SqliteIdentityStore(otherDatabase, _masterKey);
        var now = DateTimeOffset.UtcNow;

        var before = await server.CurrentAsync(CancellationToken.None);
        await server.CreateUserAsync(new IamUser("111111111111", "Own", "AIDAOWNOWNOWNOWNOWNOW", "/", "arn:aws:iam::111111111111:user/Own", now), [], CancellationToken.None);
        Assert.NotEqual(before, await server.CurrentAsync(CancellationToken.None));

        await Task.Delay(150);
        var settled = await server.CurrentAsync(CancellationToken.None);
        Assert.Equal(settled, await server.CurrentAsync(CancellationToken.None));

        await other.DeleteUserAsync("111111111111", "Own", CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (await server.CurrentAsync(CancellationToken.None) == settled && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.NotEqual(settled, await server.CurrentAsync(CancellationToken.None));
        Assert.Null(await server.FindUserAsync("111111111111", "Own", CancellationToken.None));
    }

    [Fact]
    public async Task Users_roles_and_sessions_survive_a_restart()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using (var database = Open())
        {
            var store = new SqliteIdentityStore(database, _masterKey);
            await store.CreateUserAsync(new IamUser("111111111111", "Bob", "AIDAXXXXXXXXXXXXXXXXX", "/", "arn:aws:iam::111111111111:user/Bob", now), [], CancellationToken.None);
            await store.CreateSessionAsync(
                new RoleSession("ASIAXXXXXXXXXXXXXXXX", "secret", "token", "111111111111", "r", "arn:aws:iam::111111111111:role/r", "s",
                    "arn:aws:sts::111111111111:assumed-role/r/s", "AROAX:s", now, now.AddHours(1)),
                CancellationToken.None);
        }

        using (var database = Open())
        {
            var store = new SqliteIdentityStore(database, _masterKey);
            Assert.Equal("Bob", (await store.FindUserAsync("111111111111", "bob", CancellationToken.None))!.UserName);
            Assert.Equal(now.AddHours(1), (await store.FindSessionAsync("ASIAXXXXXXXXXXXXXXXX", CancellationToken.None))!.Expiration);
            Assert.Null(await store.FindUserAsync("222222222222", "bob", CancellationToken.None));
        }
    }

    [Fact]
    public async Task Access_key_secrets_and_session_credentials_never_reach_the_file_in_plaintext()
    {
        using (var database = Open())
        {
            var store = new SqliteIdentityStore(database, _masterKey);
            var now = DateTimeOffset.UtcNow;
            await store.CreateUserAsync(new IamUser("111111111111", "Ann", "AIDAYYYYYYYYYYYYYYYYY", "/", "arn:aws:iam::111111111111:user/Ann", now), [], CancellationToken.None);
            await store.CreateAccessKeyAsync(new AccessKeyInfo("AKIAANNANNANNANNANN1", "PlainUserSecretValue0123456789", "111111111111", "Ann", "Active", now), 2, CancellationToken.None);
            await store.CreateSessionAsync(
                new RoleSession("ASIAYYYYYYYYYYYYYYYY", "PlainSessionSecretValue987", "PlainSessionTokenValue654", "111111111111", "r", "arn:aws:iam::111111111111:role/r", "s",
                    "arn:aws:sts::111111111111:assumed-role/r/s", "AROAY:s", now, now.AddHours(1)),
                CancellationToken.None);

            Assert.Equal("PlainUserSecretValue0123456789", (await store.FindAccessKeyAsync("AKIAANNANNANNANNANN1", CancellationToken.None))!.SecretAccessKey);
            Assert.Equal("PlainSessionTokenValue654", (await store.FindSessionAsync("ASIAYYYYYYYYYYYYYYYY", CancellationToken.None))!.SessionToken);
        }

        foreach (var file in new[] { _path, _path + "-wal" }.Where(File.Exists))
        {
            var text = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(file));
            Assert.DoesNotContain("PlainUserSecretValue", text, StringComparison.Ordinal);
            Assert.DoesNotContain("PlainSessionSecretValue", text, StringComparison.Ordinal);
            Assert.DoesNotContain("PlainSessionTokenValue", text, StringComparison.Ordinal);
        }

        using var reopened = Open();
        var wrongKey = new SqliteIdentityStore(reopened, MasterKey.Generate());
        await Assert.ThrowsAsync<MasterKeyMismatchException>(() => wrongKey.FindAccessKeyAsync("AKIAANNANNANNANNANN1", CancellationToken.None));
    }
}
