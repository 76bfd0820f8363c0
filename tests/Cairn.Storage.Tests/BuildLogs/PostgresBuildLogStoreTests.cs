using Cairn.Storage.BuildLogs;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.BuildLogs;
using Cairn.Storage.Postgres.Notifications;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.BuildLogs;

[RequiresPostgres]
public sealed class PostgresBuildLogStoreTests : BuildLogStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresNotifications? _notifications;
    private PostgresBuildLogStore? _store;

    protected override IBuildLogStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [BuildLogMigrations.Set], default);
        _notifications = Listener(_database);
        _store = new PostgresBuildLogStore(_database, _notifications);
    }

    /// <summary>A server's listening connection; disposed in DisposeAsync.</summary>
    private static PostgresNotifications Listener(PostgresDatabase database) => new(database);

    /// <summary>Another server on the same database: its own pool and its own listening connection.</summary>
    private async Task<(PostgresDatabase Database, PostgresNotifications Notifications, PostgresBuildLogStore Store)> OtherServerAsync()
    {
        var database = await PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [BuildLogMigrations.Set], default);
        var notifications = Listener(database);
        return (database, notifications, new PostgresBuildLogStore(database, notifications));
    }

    [StoreFact]
    public async Task A_log_written_through_one_server_is_read_and_followed_through_another()
    {
        var (otherDatabase, otherNotifications, other) = await OtherServerAsync();
        await using var _ = otherDatabase;
        await using var __ = otherNotifications;
        var uuid = NewUuid();
        var writer = Store.OpenWriter(uuid);
        writer.Append("first", T0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var follow = other.FollowAsync(uuid, 0, timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await follow.MoveNextAsync());
        Assert.Equal(["first\n"], Messages(follow.Current.Events));
        var waiting = follow.MoveNextAsync().AsTask();
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        writer.AppendBatched("second", T0.AddSeconds(1));
        writer.AppendBatched("third", T0.AddSeconds(2));
        writer.Flush();
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)), "the follower on the other server was not woken");
        Assert.Equal(["second\n", "third\n"], Messages(follow.Current.Events));
        await writer.DisposeAsync();
        Assert.False(await follow.MoveNextAsync());

        Assert.Equal(new BuildLogInfo(3, T0, T0.AddSeconds(2), true), await other.DescribeAsync(uuid, default));
        Assert.Equal(["third\n"], Messages((await other.ReadAsync(uuid, new BuildLogRange { Limit = 1, FromEnd = true }, default)).Events));
    }

    [StoreFact]
    public async Task Writers_on_two_servers_number_their_lines_after_each_other()
    {
        var (otherDatabase, otherNotifications, other) = await OtherServerAsync();
        await using var _ = otherDatabase;
        await using var __ = otherNotifications;
        var uuid = NewUuid();
        var here = Store.OpenWriter(uuid);
        var there = other.OpenWriter(uuid);

        here.Append("a", T0.AddSeconds(5));
        Assert.Equal(1, there.Count);
        there.Append("b", T0);
        Assert.Equal(2, here.Count);
        here.Append("c", T0.AddSeconds(6));
        await there.DisposeAsync();
        await here.DisposeAsync();

        var events = (await Store.ReadAsync(uuid, new BuildLogRange(), default)).Events;
        Assert.Equal(["a\n", "b\n", "c\n"], Messages(events));
        Assert.Equal([T0.AddSeconds(5), T0.AddSeconds(5), T0.AddSeconds(6)], events.Select(e => e.Timestamp));
    }

    [StoreFact]
    public async Task A_follower_sees_a_line_written_while_its_listening_connection_was_cut()
    {
        var uuid = NewUuid();
        var writer = Store.OpenWriter(uuid);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var follow = Store.FollowAsync(uuid, 0, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var waiting = follow.MoveNextAsync().AsTask();
        while (_store!.FollowerLooks == 0)
        {
            // Subscribed and read once: the follower waits on its notification.
            await Task.Delay(10, timeout.Token);
        }

        Assert.Equal(1, _notifications!.Connections);

        // As a failover does: the server ends the listening backend; the line is committed while nobody listens.
        Assert.True(await _database!.WriteAsync(s => s.QuerySingleAsync(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
            r => r.GetInt64(0)), default) >= 1);
        writer.Append("while cut", T0);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["while cut\n"], Messages(follow.Current.Events));
        Assert.True(_notifications.Connections >= 2);
        var next = follow.MoveNextAsync().AsTask();
        writer.Append("after", T0);
        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal(["after\n"], Messages(follow.Current.Events));
        await writer.DisposeAsync();
    }

    [StoreFact]
    public async Task Any_text_a_build_prints_round_trips_even_a_nul()
    {
        var uuid = await LogAsync("nul\0inside", "", "tab\tand ✓");

        var events = (await Store.ReadAsync(uuid, new BuildLogRange(), default)).Events;
        var found = await Store.SearchAsync(uuid, new BuildLogSearch(["\0"], [], []), default);

        Assert.Equal(["nul\0inside\n", "\n", "tab\tand ✓\n"], Messages(events));
        Assert.Equal([0L], found.Events.Select(e => e.Index));
    }

    public async Task DisposeAsync()
    {
        if (_notifications is not null)
        {
            await _notifications.DisposeAsync();
        }

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
