using Cairn.Storage.Sessions;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Sessions;

/// <summary>What every IConsoleSignInFailureStore must do; each backend runs this suite through a subclass.</summary>
public abstract class ConsoleSignInFailureStoreContractTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    protected abstract IConsoleSignInFailureStore Store { get; }

    /// <summary>A second store over the same database, as another server (or this one restarted) opens it.</summary>
    protected abstract IConsoleSignInFailureStore OtherServer { get; }

    private static byte[] Key(byte b) => Enumerable.Repeat(b, 32).ToArray();

    private static Task Fail(IConsoleSignInFailureStore store, byte key, DateTimeOffset at) => store.RecordAsync(Key(key), at, at - Window, CancellationToken.None);

    private static Task<IReadOnlyList<DateTimeOffset>> Recent(IConsoleSignInFailureStore store, byte key, DateTimeOffset now, int limit = 5) =>
        store.FindRecentAsync(Key(key), now - Window, limit, CancellationToken.None);

    [StoreFact]
    public async Task A_keys_failures_in_the_window_are_found_newest_first_up_to_the_limit()
    {
        for (var i = 0; i < 4; i++)
        {
            await Fail(Store, 1, Now.AddMinutes(i));
        }

        await Fail(Store, 2, Now);

        Assert.Equal([Now.AddMinutes(3), Now.AddMinutes(2), Now.AddMinutes(1), Now], await Recent(Store, 1, Now.AddMinutes(3)));
        Assert.Equal([Now.AddMinutes(3), Now.AddMinutes(2)], await Recent(Store, 1, Now.AddMinutes(3), limit: 2));
        Assert.Equal([Now], await Recent(Store, 2, Now.AddMinutes(3)));
        Assert.Empty(await Recent(Store, 3, Now.AddMinutes(3)));
    }

    [StoreFact]
    public async Task A_failure_leaves_the_window_when_the_window_has_passed_since_it()
    {
        await Fail(Store, 1, Now);
        await Fail(Store, 1, Now.AddMinutes(1));

        Assert.Equal(2, (await Recent(Store, 1, Now + Window - TimeSpan.FromMilliseconds(1))).Count);
        Assert.Equal([Now.AddMinutes(1)], await Recent(Store, 1, Now + Window));
    }

    [StoreFact]
    public async Task Two_failures_in_the_same_millisecond_count_twice()
    {
        await Fail(Store, 1, Now);
        await Fail(OtherServer, 1, Now);

        Assert.Equal([Now, Now], await Recent(Store, 1, Now));
    }

    [StoreFact]
    public async Task Recording_a_failure_prunes_every_keys_failures_that_left_the_window()
    {
        await Fail(Store, 1, Now);
        await Fail(Store, 2, Now.AddMinutes(1));
        await Fail(Store, 3, Now.AddMinutes(10));

        // Another user's failure, a window after the first two: they are gone, even when asked for with a longer window.
        await Fail(Store, 4, Now.AddMinutes(1) + Window);

        var since = Now.AddDays(-1);
        Assert.Empty(await Store.FindRecentAsync(Key(1), since, 5, CancellationToken.None));
        Assert.Empty(await Store.FindRecentAsync(Key(2), since, 5, CancellationToken.None));
        Assert.Equal([Now.AddMinutes(10)], await Store.FindRecentAsync(Key(3), since, 5, CancellationToken.None));
        Assert.Single(await Store.FindRecentAsync(Key(4), since, 5, CancellationToken.None));
    }

    [StoreFact]
    public async Task Clear_forgets_that_keys_failures_only()
    {
        await Fail(Store, 1, Now);
        await Fail(Store, 1, Now.AddMinutes(1));
        await Fail(Store, 2, Now);

        await Store.ClearAsync(Key(1), CancellationToken.None);
        await Store.ClearAsync(Key(9), CancellationToken.None);

        Assert.Empty(await Recent(Store, 1, Now.AddMinutes(1)));
        Assert.Equal([Now], await Recent(Store, 2, Now.AddMinutes(1)));
    }

    [StoreFact]
    public async Task Failures_recorded_through_one_server_are_seen_and_cleared_through_another()
    {
        await Fail(Store, 1, Now);
        await Fail(OtherServer, 1, Now.AddMinutes(1));
        await Fail(Store, 1, Now.AddMinutes(2));

        Assert.Equal([Now.AddMinutes(2), Now.AddMinutes(1), Now], await Recent(OtherServer, 1, Now.AddMinutes(2)));
        Assert.Equal(3, (await Recent(Store, 1, Now.AddMinutes(2))).Count);

        await OtherServer.ClearAsync(Key(1), CancellationToken.None);

        Assert.Empty(await Recent(Store, 1, Now.AddMinutes(2)));
    }
}
