using Cairn.Storage.Builds;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Builds;

/// <summary>What every IBuildAgentStore must do; SQLite and PostgreSQL run it through subclasses.</summary>
public abstract class BuildAgentStoreContractTests
{
    protected static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    protected abstract IBuildAgentStore Store { get; }

    [StoreFact]
    public async Task A_token_registers_one_agent_in_its_account_and_then_none()
    {
        await Store.AddRegistrationTokenAsync("111122223333", "hash-1", "root", Now, Now.AddHours(24), CancellationToken.None);

        var first = await Store.RegisterAsync("hash-1", account => Agent("agent-1", account), Now.AddMinutes(1), CancellationToken.None);
        var second = await Store.RegisterAsync("hash-1", account => Agent("agent-2", account), Now.AddMinutes(2), CancellationToken.None);

        Assert.Equal("111122223333", first!.AccountId);
        Assert.Null(second);
        var listed = Assert.Single(await Store.ListAgentsAsync("111122223333", CancellationToken.None));
        Assert.Equal(["linux", "docker"], listed.Labels);
        Assert.Empty(await Store.ListAgentsAsync("999988887777", CancellationToken.None));
    }

    [StoreFact]
    public async Task An_expired_token_registers_nothing()
    {
        await Store.AddRegistrationTokenAsync("111122223333", "hash-1", "root", Now, Now.AddHours(24), CancellationToken.None);

        Assert.Null(await Store.RegisterAsync("hash-1", account => Agent("agent-1", account), Now.AddHours(25), CancellationToken.None));
    }

    [StoreFact]
    public async Task A_revoked_agent_stays_revoked_from_its_first_revocation_and_only_in_its_account()
    {
        await Store.AddRegistrationTokenAsync("111122223333", "hash-1", "root", Now, Now.AddHours(24), CancellationToken.None);
        await Store.RegisterAsync("hash-1", account => Agent("agent-1", account), Now, CancellationToken.None);

        Assert.False(await Store.RevokeAgentAsync("999988887777", "agent-1", Now.AddMinutes(1), CancellationToken.None));
        Assert.True(await Store.RevokeAgentAsync("111122223333", "agent-1", Now.AddMinutes(2), CancellationToken.None));
        Assert.True(await Store.RevokeAgentAsync("111122223333", "agent-1", Now.AddMinutes(3), CancellationToken.None));

        Assert.Equal(Now.AddMinutes(2), (await Store.FindAgentAsync("agent-1", CancellationToken.None))!.RevokedAt);
    }

    [StoreFact]
    public async Task Two_registrations_racing_for_one_token_enrol_one_agent()
    {
        await Store.AddRegistrationTokenAsync("111122223333", "hash-race", "root", Now, Now.AddHours(24), CancellationToken.None);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            Store.RegisterAsync("hash-race", account => Agent($"agent-r{i}", account), Now, CancellationToken.None))));
        Assert.Single(results, r => r is not null);
        Assert.Single(await Store.ListAgentsAsync("111122223333", CancellationToken.None));
    }

    protected static BuildAgent Agent(string id, string account) => new(id, account, "test", ["linux", "docker"], "secret-hash", "token", Now, null);
}
