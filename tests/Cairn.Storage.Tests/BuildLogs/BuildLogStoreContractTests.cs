using Cairn.Storage.BuildLogs;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.BuildLogs;

/// <summary>What every IBuildLogStore must do; each backend runs this suite through a subclass.</summary>
public abstract class BuildLogStoreContractTests
{
    protected static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    protected abstract IBuildLogStore Store { get; }

    protected static string NewUuid() => Guid.NewGuid().ToString();

    /// <summary>A complete log of <paramref name="lines"/>, line i written at T0 + i seconds.</summary>
    protected async Task<string> LogAsync(params string[] lines)
    {
        var uuid = NewUuid();
        await using var writer = Store.OpenWriter(uuid);
        for (var i = 0; i < lines.Length; i++)
        {
            writer.Append(lines[i], T0.AddSeconds(i));
        }

        return uuid;
    }

    protected static List<string> Messages(IEnumerable<BuildLogEvent> events) => events.Select(e => e.Message).ToList();

    private Task<BuildLogPage> ReadAsync(string uuid, BuildLogRange range) => Store.ReadAsync(uuid, range, CancellationToken.None).AsTask();

    private Task<BuildLogSearchResult> SearchAsync(string uuid, BuildLogSearch search) => Store.SearchAsync(uuid, search, CancellationToken.None).AsTask();

    [StoreFact]
    public async Task Append_returns_the_count_and_reads_return_each_line_with_its_index_time_and_newline()
    {
        var uuid = NewUuid();
        await using (var writer = Store.OpenWriter(uuid))
        {
            Assert.Equal(1, writer.Append("one", T0));
            Assert.Equal(2, writer.Append("two ünïcødé ✓", T0.AddSeconds(1)));
            Assert.Equal(2, writer.Count);
        }

        var page = await ReadAsync(uuid, new BuildLogRange());

        Assert.Equal(["one\n", "two ünïcødé ✓\n"], Messages(page.Events));
        Assert.Equal([0L, 1L], page.Events.Select(e => e.Index));
        Assert.Equal([T0, T0.AddSeconds(1)], page.Events.Select(e => e.Timestamp));
        Assert.Equal(2, page.Count);
        Assert.True(page.IsComplete);
    }

    [StoreFact]
    public async Task A_block_of_lines_is_a_line_each_at_the_blocks_time_between_lines_appended_alone()
    {
        var uuid = NewUuid();
        await using (var writer = Store.OpenWriter(uuid))
        {
            writer.AppendBatched("before", T0);
            Assert.Equal(4, writer.AppendBlock("one\n\nthree ünï ✓\n"u8, T0.AddSeconds(2)));
            Assert.Equal(5, writer.AppendBlock("last"u8, T0.AddSeconds(1)));
            writer.Flush();
        }

        var page = await ReadAsync(uuid, new BuildLogRange());

        Assert.Equal(["before\n", "one\n", "\n", "three ünï ✓\n", "last\n"], Messages(page.Events));
        // A block's lines share its time, and a time earlier than the last is stored as the last.
        Assert.Equal([T0, T0.AddSeconds(2), T0.AddSeconds(2), T0.AddSeconds(2), T0.AddSeconds(2)], page.Events.Select(e => e.Timestamp));
    }

    [StoreFact]
    public async Task A_block_larger_than_the_writers_buffer_and_a_line_longer_than_it_keep_every_line_in_order()
    {
        var uuid = NewUuid();
        var lines = Enumerable.Range(0, 5000).Select(i => $"line {i} " + new string('x', i % 50)).ToList();
        var longLine = new string('y', 200_000);
        await using (var writer = Store.OpenWriter(uuid))
        {
            Assert.Equal(5000, writer.AppendBlock(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), T0));
            Assert.Equal(5002, writer.AppendBlock(System.Text.Encoding.UTF8.GetBytes(longLine + "\nafter\n"), T0.AddSeconds(1)));
            writer.Flush();
        }

        var first = await ReadAsync(uuid, new BuildLogRange { From = 4998 });
        var all = await ReadAsync(uuid, new BuildLogRange { Limit = 10_000 });

        Assert.Equal(5002, all.Count);
        Assert.Equal(lines.Select(line => line + "\n"), Messages(all.Events).Take(5000));
        Assert.Equal([lines[4998] + "\n", lines[4999] + "\n", longLine + "\n", "after\n"], Messages(first.Events));
        Assert.Equal([T0, T0, T0.AddSeconds(1), T0.AddSeconds(1)], first.Events.Select(e => e.Timestamp));
    }

    [StoreFact]
    public async Task A_log_never_written_reads_empty_and_incomplete()
    {
        var uuid = NewUuid();

        var page = await ReadAsync(uuid, new BuildLogRange());
        var info = await Store.DescribeAsync(uuid, CancellationToken.None);
        var found = await SearchAsync(uuid, BuildLogSearch.Everything);

        Assert.Empty(page.Events);
        Assert.False(page.IsComplete);
        Assert.Equal(BuildLogInfo.None, info);
        Assert.Empty(found.Events);
        Assert.Null(found.Next);
    }

    [StoreFact]
    public async Task Range_reads_take_the_first_or_the_last_events_of_an_index_range()
    {
        var uuid = await LogAsync("a", "b", "c", "d", "e");

        var head = await ReadAsync(uuid, new BuildLogRange { Limit = 2 });
        var tail = await ReadAsync(uuid, new BuildLogRange { Limit = 2, FromEnd = true });
        var middle = await ReadAsync(uuid, new BuildLogRange { From = 1, To = 4 });
        var beforeThree = await ReadAsync(uuid, new BuildLogRange { To = 3, Limit = 2, FromEnd = true });
        var past = await ReadAsync(uuid, new BuildLogRange { From = 5 });

        Assert.Equal(["a\n", "b\n"], Messages(head.Events));
        Assert.Equal(["d\n", "e\n"], Messages(tail.Events));
        Assert.Equal([3L, 4L], tail.Events.Select(e => e.Index));
        Assert.Equal(["b\n", "c\n", "d\n"], Messages(middle.Events));
        Assert.Equal(["b\n", "c\n"], Messages(beforeThree.Events));
        Assert.Empty(past.Events);
        Assert.Equal(5, past.Count);
    }

    [StoreFact]
    public async Task Time_bounds_keep_the_events_written_from_since_until_before_until()
    {
        var uuid = await LogAsync("a", "b", "c", "d");

        var page = await ReadAsync(uuid, new BuildLogRange { Since = T0.AddSeconds(1), Until = T0.AddSeconds(3) });
        var last = await ReadAsync(uuid, new BuildLogRange { Since = T0.AddMilliseconds(1), Limit = 1, FromEnd = true });
        var none = await ReadAsync(uuid, new BuildLogRange { Since = T0.AddHours(1) });

        Assert.Equal(["b\n", "c\n"], Messages(page.Events));
        Assert.Equal(["d\n"], Messages(last.Events));
        Assert.Empty(none.Events);
    }

    [StoreFact]
    public async Task Times_never_go_back_and_text_with_newlines_is_one_event_per_line()
    {
        var uuid = NewUuid();
        await using (var writer = Store.OpenWriter(uuid))
        {
            writer.Append("late", T0.AddSeconds(5));
            Assert.Equal(3, writer.Append("early\nsecond", T0));
        }

        var events = (await ReadAsync(uuid, new BuildLogRange())).Events;

        Assert.Equal(["late\n", "early\n", "second\n"], Messages(events));
        Assert.All(events, e => Assert.Equal(T0.AddSeconds(5), e.Timestamp));
    }

    [StoreFact]
    public async Task Stored_bytes_grow_with_each_line_and_are_zero_without_a_log()
    {
        Assert.Equal(0, await Store.StoredBytesAsync(Guid.NewGuid().ToString(), CancellationToken.None));
        var uuid = await LogAsync("first");
        var one = await Store.StoredBytesAsync(uuid, CancellationToken.None);

        await using (var writer = Store.OpenWriter(uuid))
        {
            writer.Append("second line, longer", T0.AddSeconds(1));
        }

        Assert.True(one >= "first".Length, $"{one} bytes for one line");
        Assert.True(await Store.StoredBytesAsync(uuid, CancellationToken.None) >= one + "second line, longer".Length);
    }

    [StoreFact]
    public async Task Reopening_a_log_appends_after_its_lines_and_leaves_it_incomplete_until_the_writer_is_disposed()
    {
        var uuid = await LogAsync("first");

        var writer = Store.OpenWriter(uuid);
        Assert.Equal(1, writer.Count);
        Assert.Equal(2, writer.Append("second", T0.AddSeconds(9)));
        var during = await ReadAsync(uuid, new BuildLogRange());
        await writer.DisposeAsync();
        var after = await Store.DescribeAsync(uuid, CancellationToken.None);

        Assert.Equal(["first\n", "second\n"], Messages(during.Events));
        Assert.False(during.IsComplete);
        Assert.Equal(new BuildLogInfo(2, T0, T0.AddSeconds(9), true), after);
    }

    [StoreFact]
    public async Task A_log_has_one_writer_at_a_time()
    {
        var uuid = NewUuid();
        await using var writer = Store.OpenWriter(uuid);

        Assert.Throws<InvalidOperationException>(() => Store.OpenWriter(uuid));
    }

    [StoreFact]
    public async Task Follow_returns_what_is_written_wakes_on_each_append_and_ends_when_the_log_is_complete()
    {
        var uuid = NewUuid();
        var writer = Store.OpenWriter(uuid);
        writer.Append("before", T0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var follow = Store.FollowAsync(uuid, 0, timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await follow.MoveNextAsync());
        Assert.Equal(["before\n"], Messages(follow.Current.Events));
        var waiting = follow.MoveNextAsync().AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        writer.Append("after", T0.AddSeconds(1));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromMilliseconds(900)));
        Assert.Equal(["after\n"], Messages(follow.Current.Events));
        Assert.Equal(1, follow.Current.Events[0].Index);
        var ending = follow.MoveNextAsync().AsTask();
        // Completing flushes both files to disk: under a loaded disk that alone can take a second, so only the end is checked here.
        await writer.DisposeAsync();
        Assert.False(await ending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [StoreFact]
    public async Task Follow_waits_for_a_log_not_created_yet_and_starts_at_the_index_asked()
    {
        var uuid = NewUuid();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var followed = Task.Run(async () =>
        {
            var events = new List<BuildLogEvent>();
            await foreach (var page in Store.FollowAsync(uuid, 1, timeout.Token))
            {
                events.AddRange(page.Events);
            }

            return events;
        });
        await Task.Delay(50);

        await using (var writer = Store.OpenWriter(uuid))
        {
            writer.Append("skipped", T0);
            writer.Append("seen", T0);
        }

        Assert.Equal(["seen\n"], Messages(await followed.WaitAsync(timeout.Token)));
    }

    [StoreFact]
    public async Task Follow_of_a_complete_log_returns_its_events_then_ends()
    {
        var uuid = await LogAsync("a", "b");
        var pages = new List<BuildLogPage>();

        await foreach (var page in Store.FollowAsync(uuid, 0, CancellationToken.None))
        {
            pages.Add(page);
        }

        Assert.Equal(["a\n", "b\n"], Messages(pages.SelectMany(p => p.Events)));
    }

    [StoreFact]
    public async Task Completing_a_log_never_written_ends_its_followers_and_reads_empty()
    {
        var uuid = NewUuid();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var followed = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var page in Store.FollowAsync(uuid, 0, timeout.Token))
            {
                count += page.Events.Count;
            }

            return count;
        });

        await Store.CompleteAsync(uuid, CancellationToken.None);

        Assert.Equal(0, await followed.WaitAsync(timeout.Token));
        Assert.Equal(new BuildLogInfo(0, null, null, true), await Store.DescribeAsync(uuid, CancellationToken.None));
    }

    [StoreFact]
    public async Task A_follower_is_woken_by_each_append_within_250_ms_however_long_it_waited()
    {
        var uuid = NewUuid();
        var writer = Store.OpenWriter(uuid);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var follow = Store.FollowAsync(uuid, 0, timeout.Token).GetAsyncEnumerator(timeout.Token);

        foreach (var wait in new[] { 10, 1300, 2100 })
        {
            var waiting = follow.MoveNextAsync().AsTask();
            await Task.Delay(wait);
            Assert.False(waiting.IsCompleted);
            writer.Append($"after {wait} ms", T0);
            Assert.True(await waiting.WaitAsync(TimeSpan.FromMilliseconds(250)));
            Assert.Equal([$"after {wait} ms\n"], Messages(follow.Current.Events));
        }

        await writer.DisposeAsync();
        Assert.False(await follow.MoveNextAsync());
    }

    [StoreFact]
    public async Task Search_finds_events_with_every_term_one_of_the_either_terms_and_none_of_the_excluded()
    {
        var uuid = await LogAsync("Phase complete: BUILD State: FAILED", "noise", "error: boom", "Phase complete: INSTALL State: SUCCEEDED");

        var failed = await SearchAsync(uuid, new BuildLogSearch(["Phase complete", "FAILED"], [], []));
        var either = await SearchAsync(uuid, new BuildLogSearch([], ["noise", "boom"], []));
        var excluded = await SearchAsync(uuid, new BuildLogSearch(["Phase"], [], ["FAILED"]));
        var time = await SearchAsync(uuid, new BuildLogSearch(["Phase"], [], []) { Since = T0.AddSeconds(1) });
        var timestampDigits = await SearchAsync(uuid, new BuildLogSearch(["1700000000"], [], []));

        Assert.Equal(["Phase complete: BUILD State: FAILED\n"], Messages(failed.Events));
        Assert.Equal(["noise\n", "error: boom\n"], Messages(either.Events));
        Assert.Equal([3L], excluded.Events.Select(e => e.Index));
        Assert.Equal([3L], time.Events.Select(e => e.Index));
        Assert.Empty(timestampDigits.Events);
    }

    [StoreFact]
    public async Task Search_stops_at_its_limit_with_the_next_match_to_resume_from()
    {
        var uuid = await LogAsync("hit 1", "miss", "hit 2", "hit 3", "miss", "hit 4");
        var search = new BuildLogSearch(["hit"], [], []) { Limit = 2 };

        var first = await SearchAsync(uuid, search);
        var second = await SearchAsync(uuid, search.With(first.Next!.Value, 2));
        var whereNext = await SearchAsync(uuid, search.With(0, 0));

        Assert.Equal(["hit 1\n", "hit 2\n"], Messages(first.Events));
        Assert.Equal(3, first.Next);
        Assert.Equal(["hit 3\n", "hit 4\n"], Messages(second.Events));
        Assert.Null(second.Next);
        Assert.Empty(whereNext.Events);
        Assert.Equal(0, whereNext.Next);
    }

    [StoreFact]
    public async Task Deleting_a_log_leaves_none()
    {
        var uuid = await LogAsync("a");

        await Store.DeleteAsync(uuid, CancellationToken.None);
        await Store.DeleteAsync(uuid, CancellationToken.None);

        Assert.Equal(BuildLogInfo.None, await Store.DescribeAsync(uuid, CancellationToken.None));
        Assert.Empty((await ReadAsync(uuid, new BuildLogRange())).Events);
    }

    [StoreFact]
    public void Ids_that_are_not_build_uuids_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Store.OpenWriter("../../etc"));
    }
}
