using System.Globalization;
using System.Text;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Files;

namespace Cairn.Storage.Tests.BuildLogs;

public sealed class FileBuildLogStoreTests : BuildLogStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-buildlogs-").FullName;
    private readonly FileBuildLogStore _store;

    public FileBuildLogStoreTests() => _store = new FileBuildLogStore(_directory);

    protected override IBuildLogStore Store => _store;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A log as Cairn wrote them before the index: "&lt;ms&gt;\t&lt;text&gt;\n" lines and no log.idx.</summary>
    private string LegacyLog(int lines)
    {
        var uuid = NewUuid();
        Directory.CreateDirectory(Path.Combine(_directory, uuid));
        using var file = new StreamWriter(Path.Combine(_directory, uuid, "log"), false, new UTF8Encoding(false));
        for (var i = 0; i < lines; i++)
        {
            file.Write(string.Create(CultureInfo.InvariantCulture, $"{T0.ToUnixTimeMilliseconds() + i}\tline {i} of the build's output, padded to look like a real one\n"));
        }

        return uuid;
    }

    [Fact]
    public async Task A_log_written_before_the_index_existed_reads_as_it_always_did()
    {
        var uuid = LegacyLog(3);

        var events = (await Store.ReadAsync(uuid, new BuildLogRange(), CancellationToken.None)).Events;

        Assert.Equal(["line 0 of the build's output, padded to look like a real one\n", "line 1 of the build's output, padded to look like a real one\n", "line 2 of the build's output, padded to look like a real one\n"], Messages(events));
        Assert.Equal(T0.AddMilliseconds(2), events[2].Timestamp);
        Assert.True(File.Exists(Path.Combine(_directory, uuid, "log.idx")));
    }

    [Fact]
    public async Task A_range_read_or_a_resumed_search_in_a_large_log_reads_only_its_own_lines()
    {
        var uuid = LegacyLog(200_000);
        var size = new FileInfo(Path.Combine(_directory, uuid, "log")).Length;
        await Store.DescribeAsync(uuid, CancellationToken.None);

        var reopened = new FileBuildLogStore(_directory);
        var before = reopened.Meter.Bytes;
        var page = await reopened.ReadAsync(uuid, new BuildLogRange { From = 100_000, Limit = 10 }, CancellationToken.None);
        var read = reopened.Meter.Bytes - before;
        var tail = await reopened.ReadAsync(uuid, new BuildLogRange { Limit = 10, FromEnd = true, Until = T0.AddMilliseconds(150_000) }, CancellationToken.None);
        before = reopened.Meter.Bytes;
        var found = await reopened.SearchAsync(uuid, new BuildLogSearch(["line 199"], [], []) { From = 199_990 }, CancellationToken.None);
        var searched = reopened.Meter.Bytes - before;

        Assert.True(size > 15_000_000, $"the log is {size} bytes");
        Assert.Equal(Enumerable.Range(100_000, 10).Select(i => (long)i), page.Events.Select(e => e.Index));
        Assert.Equal("line 100000 of the build's output, padded to look like a real one\n", page.Events[0].Message);
        Assert.True(read < 4096, $"a 10-line read read {read} bytes");
        Assert.Equal(149_999, tail.Events[^1].Index);
        Assert.Equal(10, found.Events.Count);
        Assert.True(searched < 4096, $"a search of the last 10 lines read {searched} bytes");
    }

    [Fact]
    public async Task A_torn_index_and_a_torn_last_line_are_repaired_and_appends_go_on_after_them()
    {
        var uuid = await LogAsync("a", "b", "c");
        var index = Path.Combine(_directory, uuid, "log.idx");
        var log = Path.Combine(_directory, uuid, "log");
        using (var file = File.Open(index, FileMode.Open))
        {
            file.SetLength(file.Length - 20);
        }

        await File.AppendAllTextAsync(log, "17000000\tto");

        var reopened = new FileBuildLogStore(_directory);
        Assert.Equal(["a\n", "b\n", "c\n"], Messages((await reopened.ReadAsync(uuid, new BuildLogRange(), CancellationToken.None)).Events));
        await using (var writer = reopened.OpenWriter(uuid))
        {
            Assert.Equal(5, writer.Append("d", T0.AddSeconds(10)));
        }

        Assert.Equal(["a\n", "b\n", "c\n", "to\n", "d\n"], Messages((await reopened.ReadAsync(uuid, new BuildLogRange(), CancellationToken.None)).Events));
    }

    [Fact]
    public async Task A_completed_log_is_complete_for_a_store_opened_later()
    {
        var uuid = await LogAsync("a");
        var incomplete = NewUuid();
        _store.OpenWriter(incomplete).Append("x", T0);

        var reopened = new FileBuildLogStore(_directory);

        Assert.True((await reopened.DescribeAsync(uuid, CancellationToken.None)).IsComplete);
        Assert.False((await reopened.DescribeAsync(incomplete, CancellationToken.None)).IsComplete);
    }

    [Fact]
    public async Task The_store_keeps_state_only_for_logs_being_written_or_followed()
    {
        var written = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            written.Add(await LogAsync("line"));
        }

        foreach (var uuid in written)
        {
            await Store.ReadAsync(uuid, new BuildLogRange(), CancellationToken.None);
            await Store.DescribeAsync(uuid, CancellationToken.None);
        }

        var open = _store.OpenWriter(NewUuid());
        open.Append("x", T0);
        Assert.Equal(1, _store.LogsInUse);
        await open.DisposeAsync();
        await Store.DescribeAsync(written[0], CancellationToken.None);
        Assert.Equal(0, _store.LogsInUse);
    }

    [Fact]
    public async Task Lines_of_a_writer_that_never_finished_are_read_by_the_next_store_though_their_index_records_were_not_written()
    {
        var uuid = NewUuid();
        var crashed = _store.OpenWriter(uuid);
        crashed.Append("a", T0);
        crashed.Append("b", T0.AddSeconds(1));

        var reopened = new FileBuildLogStore(_directory);
        var page = await reopened.ReadAsync(uuid, new BuildLogRange(), CancellationToken.None);

        Assert.Equal(["a\n", "b\n"], Messages(page.Events));
        Assert.False(page.IsComplete);
        Assert.Equal(new BuildLogInfo(2, T0, T0.AddSeconds(1), false), await reopened.DescribeAsync(uuid, CancellationToken.None));
    }

    [Fact]
    public async Task A_log_another_process_writes_wakes_its_followers_without_polling()
    {
        var uuid = NewUuid();
        var other = new FileBuildLogStore(_directory); // another process's store: its appends cannot signal this one
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var follow = _store.FollowAsync(uuid, 0, timeout.Token).GetAsyncEnumerator(timeout.Token);

        // Not created yet: the follower waits for the log's directory, then for its lines.
        var waiting = follow.MoveNextAsync().AsTask();
        await Task.Delay(200);
        var looks = _store.FollowerLooks;
        await Task.Delay(2500);
        Assert.Equal(looks, _store.FollowerLooks); // idle: nothing looked at the files in 2.5 s (polling looked every second)
        var writer = other.OpenWriter(uuid);
        writer.Append("first", T0);
        Assert.True(await waiting.WaitAsync(TimeSpan.FromMilliseconds(250)), "the follower was not woken within 250 ms");
        Assert.Equal(["first\n"], Messages(follow.Current.Events));

        waiting = follow.MoveNextAsync().AsTask();
        await Task.Delay(1500);
        Assert.False(waiting.IsCompleted);
        writer.Append("second", T0);
        Assert.True(await waiting.WaitAsync(TimeSpan.FromMilliseconds(250)));
        Assert.Equal(["second\n"], Messages(follow.Current.Events));

        var ending = follow.MoveNextAsync().AsTask();
        await writer.DisposeAsync();
        Assert.False(await ending.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
