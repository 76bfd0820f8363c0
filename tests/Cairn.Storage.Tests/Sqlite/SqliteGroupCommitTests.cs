using Cairn.Storage.Sqlite;

namespace Cairn.Storage.Tests.Sqlite;

/// <summary>
/// Writes that queue up while another transaction commits are committed together (one fsync for the group), each in a
/// savepoint of its own: one write's failure undoes only that write, a cancelled write that no group took never runs,
/// and nobody hears "done" before the group's commit.
/// </summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private static readonly MigrationSet Schema = new("group-commit-test", ["CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)"]);
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-group-").FullName;

    [Fact]
    public async Task Writes_queued_behind_a_running_write_commit_together_and_one_failure_undoes_only_itself()
    {
        using var database = SqliteDatabase.Open(Path.Combine(_directory, "g.db"), [Schema]);
        using var release = new ManualResetEventSlim();
        using var running = new ManualResetEventSlim();
        var first = Task.Run(() => database.WriteAsync(c =>
        {
            c.Execute("INSERT INTO t (v) VALUES ('first')");
            running.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }, CancellationToken.None));
        await WaitUntilAsync(() => running.IsSet);

        var writes = Enumerable.Range(0, 50).Select(i => database.WriteAsync(c =>
        {
            c.Execute("INSERT INTO t (v) VALUES (?)", $"w{i}");
            if (i == 17)
            {
                c.Execute("INSERT INTO t (v) VALUES (?)", "w17-extra");
                throw new InvalidOperationException("write 17 fails after two inserts");
            }

            return i;
        }, CancellationToken.None)).ToList();
        await WaitUntilAsync(() => database.QueuedWrites == 50);
        Assert.All(writes, w => Assert.False(w.IsCompleted));
        var commitsBefore = database.Commits;

        release.Set();
        await first;
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[17]);
        Assert.Equal("write 17 fails after two inserts", failure.Message);
        foreach (var (write, i) in writes.Select((w, i) => (w, i)).Where(p => p.i != 17))
        {
            Assert.Equal(i, await write);
        }

        // The first write's commit, then one for the 50 that waited behind it.
        Assert.Equal(commitsBefore + 2, database.Commits);
        var stored = database.Read(c => c.Query("SELECT v FROM t", row => row.GetString(0))).ToHashSet();
        Assert.Equal(50, stored.Count);
        Assert.Contains("first", stored);
        Assert.DoesNotContain("w17", stored);
        Assert.DoesNotContain("w17-extra", stored);
        Assert.Contains("w49", stored);
    }

    [Fact]
    public async Task A_write_that_fails_alone_stores_nothing_and_a_cancelled_queued_write_never_runs()
    {
        using var database = SqliteDatabase.Open(Path.Combine(_directory, "c.db"), [Schema]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.WriteAsync<int>(c =>
        {
            c.Execute("INSERT INTO t (v) VALUES ('partial')");
            throw new InvalidOperationException("no");
        }, CancellationToken.None));

        using var release = new ManualResetEventSlim();
        using var running = new ManualResetEventSlim();
        var blocker = Task.Run(() => database.WriteAsync(_ =>
        {
            running.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }, CancellationToken.None));
        await WaitUntilAsync(() => running.IsSet);
        using var cancel = new CancellationTokenSource();
        var ran = false;
        var cancelled = database.WriteAsync(c =>
        {
            ran = true;
            c.Execute("INSERT INTO t (v) VALUES ('cancelled')");
        }, cancel.Token);
        var after = database.WriteAsync(c => c.Execute("INSERT INTO t (v) VALUES ('after')"), CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        release.Set();
        await blocker;
        await after;
        Assert.False(ran);
        var stored = database.Read(c => c.Query("SELECT v FROM t", row => row.GetString(0)));
        Assert.Equal(["after"], stored);
    }

    [Fact]
    public async Task A_unique_violation_in_one_write_of_a_group_leaves_the_others_and_surfaces_as_its_error()
    {
        using var database = SqliteDatabase.Open(Path.Combine(_directory, "u.db"), [Schema]);
        using var release = new ManualResetEventSlim();
        using var running = new ManualResetEventSlim();
        var blocker = Task.Run(() => database.WriteAsync(_ =>
        {
            running.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }, CancellationToken.None));
        await WaitUntilAsync(() => running.IsSet);
        var a = database.WriteAsync(c => c.Execute("INSERT INTO t (v) VALUES ('same')"), CancellationToken.None);
        var b = database.WriteAsync(c => c.Execute("INSERT INTO t (v) VALUES ('same')"), CancellationToken.None);
        var c2 = database.WriteAsync(c => c.Execute("INSERT INTO t (v) VALUES ('other')"), CancellationToken.None);
        await WaitUntilAsync(() => database.QueuedWrites == 3);
        release.Set();
        await blocker;
        await a;
        await Assert.ThrowsAsync<SqliteException>(() => b);
        await c2;
        Assert.Equal(["other", "same"], database.Read(c => c.Query("SELECT v FROM t ORDER BY v", row => row.GetString(0))));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the writes to queue");
            await Task.Delay(5);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
