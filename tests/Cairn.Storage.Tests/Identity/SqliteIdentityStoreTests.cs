using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Identity;

namespace Cairn.Storage.Tests.Identity;

public sealed class SqliteIdentityStoreTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "cairn-identity-" + Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private SqliteDatabase Open() => SqliteDatabase.Open(_path, [IdentityMigrations.Set]);

    [Fact]
    public async Task Users_roles_and_sessions_survive_a_restart()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using (var database = Open())
        {
            var store = new SqliteIdentityStore(database);
            await store.CreateUserAsync(new IamUser("111111111111", "Bob", "AIDAXXXXXXXXXXXXXXXXX", "/", "arn:aws:iam::111111111111:user/Bob", now), [], CancellationToken.None);
            await store.CreateSessionAsync(
                new RoleSession("ASIAXXXXXXXXXXXXXXXX", "secret", "token", "111111111111", "r", "arn:aws:iam::111111111111:role/r", "s",
                    "arn:aws:sts::111111111111:assumed-role/r/s", "AROAX:s", now, now.AddHours(1)),
                CancellationToken.None);
        }

        using (var database = Open())
        {
            var store = new SqliteIdentityStore(database);
            Assert.Equal("Bob", store.FindUser("111111111111", "bob")!.UserName);
            Assert.Equal(now.AddHours(1), store.FindSession("ASIAXXXXXXXXXXXXXXXX")!.Expiration);
            Assert.Null(store.FindUser("222222222222", "bob"));
        }
    }

    [Fact]
    public async Task Every_write_moves_the_generation_and_failed_writes_change_nothing()
    {
        using var database = Open();
        var store = new SqliteIdentityStore(database);
        var before = store.Generation;

        await store.CreateGroupAsync(new IamGroup("111111111111", "g", "AGPAX", "/", "arn:aws:iam::111111111111:group/g", DateTimeOffset.UtcNow), CancellationToken.None);
        var after = store.Generation;
        await Assert.ThrowsAsync<AwsException>(() => store.AddUserToGroupAsync("111111111111", "g", "ghost", CancellationToken.None));

        Assert.True(after > before);
        Assert.Equal(after, store.Generation);
        Assert.Empty(store.ListGroupMembers("111111111111", "g"));
    }

    [Fact]
    public async Task Expired_sessions_are_purged()
    {
        using var database = Open();
        var store = new SqliteIdentityStore(database);
        var past = DateTimeOffset.UtcNow.AddHours(-2);
        await store.CreateSessionAsync(
            new RoleSession("ASIAOLDOLDOLDOLDOLD0", "s", "t", "111111111111", "r", "arn", "s", "arn2", "id", past, past.AddHours(1)), CancellationToken.None);

        var purged = await store.PurgeExpiredSessionsAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(1, purged);
        Assert.Null(store.FindSession("ASIAOLDOLDOLDOLDOLD0"));
    }
}
