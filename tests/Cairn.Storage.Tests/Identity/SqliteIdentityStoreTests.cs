using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Keys;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Identity;

namespace Cairn.Storage.Tests.Identity;

public sealed class SqliteIdentityStoreTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "cairn-identity-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly MasterKey _masterKey = MasterKey.Generate();

    public void Dispose()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private SqliteDatabase Open() => SqliteDatabase.Open(_path, [IdentityMigrations.Set]);

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

    [Fact]
    public async Task Every_write_moves_the_generation_and_failed_writes_change_nothing()
    {
        using var database = Open();
        var store = new SqliteIdentityStore(database, _masterKey);
        var before = await store.CurrentAsync(CancellationToken.None);

        await store.CreateGroupAsync(new IamGroup("111111111111", "g", "AGPAX", "/", "arn:aws:iam::111111111111:group/g", DateTimeOffset.UtcNow), CancellationToken.None);
        var after = await store.CurrentAsync(CancellationToken.None);
        await Assert.ThrowsAsync<AwsException>(() => store.AddUserToGroupAsync("111111111111", "g", "ghost", CancellationToken.None));

        Assert.True(after > before);
        Assert.Equal(after, await store.CurrentAsync(CancellationToken.None));
        Assert.Empty(await store.ListGroupMembersAsync("111111111111", "g", CancellationToken.None));
    }

    [Fact]
    public async Task Expired_sessions_are_purged()
    {
        using var database = Open();
        var store = new SqliteIdentityStore(database, _masterKey);
        var past = DateTimeOffset.UtcNow.AddHours(-2);
        await store.CreateSessionAsync(
            new RoleSession("ASIAOLDOLDOLDOLDOLD0", "s", "t", "111111111111", "r", "arn", "s", "arn2", "id", past, past.AddHours(1)), CancellationToken.None);

        var purged = await store.PurgeExpiredSessionsAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(1, purged);
        Assert.Null(await store.FindSessionAsync("ASIAOLDOLDOLDOLDOLD0", CancellationToken.None));
    }
}
