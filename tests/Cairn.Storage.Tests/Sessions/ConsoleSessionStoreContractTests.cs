using Cairn.Core.Identity;
using Cairn.Storage.Sessions;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Sessions;

/// <summary>What every IConsoleSessionStore must do; each backend runs this suite through a subclass.</summary>
public abstract class ConsoleSessionStoreContractTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    protected abstract IConsoleSessionStore Store { get; }

    private static ConsoleSession Session(byte hashByte, Principal? principal = null, DateTimeOffset? lastSeen = null, DateTimeOffset? expires = null) => new(
        Enumerable.Repeat(hashByte, 32).ToArray(),
        principal ?? new Principal(PrincipalKind.User, "111122223333", "arn:aws:iam::111122223333:user/alice", "AIDAALICE", "alice"),
        Now, lastSeen ?? Now, expires ?? Now.AddHours(12), "10.0.0.1");

    [StoreFact]
    public async Task A_session_is_found_by_its_hash_with_its_principal_and_limits()
    {
        await Store.CreateAsync(Session(1), CancellationToken.None);

        var found = await Store.FindAsync(Enumerable.Repeat((byte)1, 32).ToArray(), CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(Session(1).Principal, found.Principal);
        Assert.Equal(Now.AddHours(12), found.ExpiresAt);
        Assert.Equal(Now, found.LastSeenAt);
        Assert.Equal("10.0.0.1", found.ClientAddress);
        Assert.Null(await Store.FindAsync(Enumerable.Repeat((byte)2, 32).ToArray(), CancellationToken.None));
    }

    [StoreFact]
    public async Task A_session_that_must_change_its_password_says_so_and_others_do_not()
    {
        await Store.CreateAsync(Session(8) with { PasswordChangeRequired = true }, CancellationToken.None);
        await Store.CreateAsync(Session(9), CancellationToken.None);

        Assert.True((await Store.FindAsync(Enumerable.Repeat((byte)8, 32).ToArray(), CancellationToken.None))!.PasswordChangeRequired);
        Assert.False((await Store.FindAsync(Enumerable.Repeat((byte)9, 32).ToArray(), CancellationToken.None))!.PasswordChangeRequired);
    }

    [StoreFact]
    public async Task The_root_principal_round_trips()
    {
        await Store.CreateAsync(Session(3, Principal.Root("111122223333")), CancellationToken.None);

        var found = await Store.FindAsync(Enumerable.Repeat((byte)3, 32).ToArray(), CancellationToken.None);

        Assert.True(found!.Principal.IsRoot);
        Assert.Equal(Principal.Root("111122223333"), found.Principal);
    }

    [StoreFact]
    public async Task Touch_moves_the_last_use_and_delete_ends_the_session()
    {
        var hash = Enumerable.Repeat((byte)4, 32).ToArray();
        await Store.CreateAsync(Session(4), CancellationToken.None);

        await Store.TouchAsync(hash, Now.AddMinutes(5), CancellationToken.None);
        Assert.Equal(Now.AddMinutes(5), (await Store.FindAsync(hash, CancellationToken.None))!.LastSeenAt);

        Assert.True(await Store.DeleteAsync(hash, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(hash, CancellationToken.None));
        Assert.Null(await Store.FindAsync(hash, CancellationToken.None));
    }

    [StoreFact]
    public async Task Purge_removes_expired_and_idle_sessions_only()
    {
        await Store.CreateAsync(Session(5, expires: Now.AddSeconds(-1)), CancellationToken.None);
        await Store.CreateAsync(Session(6, lastSeen: Now.AddHours(-2)), CancellationToken.None);
        await Store.CreateAsync(Session(7), CancellationToken.None);

        Assert.Equal(2, await Store.PurgeAsync(Now, Now.AddHours(-1), CancellationToken.None));

        Assert.NotNull(await Store.FindAsync(Enumerable.Repeat((byte)7, 32).ToArray(), CancellationToken.None));
        Assert.Null(await Store.FindAsync(Enumerable.Repeat((byte)6, 32).ToArray(), CancellationToken.None));
    }
}
