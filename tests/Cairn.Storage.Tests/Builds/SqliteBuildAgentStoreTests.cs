using Cairn.Storage.Builds;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Builds;

namespace Cairn.Storage.Tests.Builds;

public sealed class SqliteBuildAgentStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-agentstore-").FullName;
    private readonly SqliteDatabase _database;
    private readonly SqliteBuildAgentStore _store;

    public SqliteBuildAgentStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [BuildMigrations.Set]);
        _store = new SqliteBuildAgentStore(_database);
    }

    [Fact]
    public async Task A_token_registers_one_agent_in_its_account_and_then_none()
    {
        await _store.AddRegistrationTokenAsync("111122223333", "hash-1", "root", Now, Now.AddHours(24), CancellationToken.None);

        var first = await _store.RegisterAsync("hash-1", account => Agent("agent-1", account), Now.AddMinutes(1), CancellationToken.None);
        var second = await _store.RegisterAsync("hash-1", account => Agent("agent-2", account), Now.AddMinutes(2), CancellationToken.None);

        Assert.Equal("111122223333", first!.AccountId);
        Assert.Null(second);
        var listed = Assert.Single(await _store.ListAgentsAsync("111122223333", CancellationToken.None));
        Assert.Equal(["linux", "docker"], listed.Labels);
        Assert.Empty(await _store.ListAgentsAsync("999988887777", CancellationToken.None));
    }

    [Fact]
    public async Task An_expired_token_registers_nothing()
    {
        await _store.AddRegistrationTokenAsync("111122223333", "hash-1", "root", Now, Now.AddHours(24), CancellationToken.None);

        Assert.Null(await _store.RegisterAsync("hash-1", account => Agent("agent-1", account), Now.AddHours(25), CancellationToken.None));
    }

    [Fact]
    public async Task A_revoked_agent_stays_revoked_from_its_first_revocation_and_only_in_its_account()
    {
        await _store.AddRegistrationTokenAsync("111122223333", "hash-1", "root", Now, Now.AddHours(24), CancellationToken.None);
        await _store.RegisterAsync("hash-1", account => Agent("agent-1", account), Now, CancellationToken.None);

        Assert.False(await _store.RevokeAgentAsync("999988887777", "agent-1", Now.AddMinutes(1), CancellationToken.None));
        Assert.True(await _store.RevokeAgentAsync("111122223333", "agent-1", Now.AddMinutes(2), CancellationToken.None));
        Assert.True(await _store.RevokeAgentAsync("111122223333", "agent-1", Now.AddMinutes(3), CancellationToken.None));

        Assert.Equal(Now.AddMinutes(2), (await _store.FindAgentAsync("agent-1", CancellationToken.None))!.RevokedAt);
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static BuildAgent Agent(string id, string account) => new(id, account, "test", ["linux", "docker"], "secret-hash", "token", Now, null);
}
