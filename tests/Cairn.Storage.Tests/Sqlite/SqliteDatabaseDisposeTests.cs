using Cairn.Storage.Sqlite;

namespace Cairn.Storage.Tests.Sqlite;

/// <summary>
/// A server disposes its database while background work (a build's record, a pipeline execution) may still be writing
/// or reading. Closing the native connection under a running statement crashed the whole process (SIGSEGV, the test
/// host "crashed" with exit code 139); disposing must instead wait for the write in flight and close readers as their
/// reads end, and any call after it must fail with ObjectDisposedException.
/// </summary>
public sealed class SqliteDatabaseDisposeTests : IDisposable
{
    private static readonly MigrationSet Schema = new("dispose-test", ["CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"]);
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-dispose-").FullName;

    [Fact]
    public async Task Dispose_during_writes_and_reads_waits_for_them_and_later_calls_are_refused()
    {
        for (var round = 0; round < 20; round++)
        {
            var database = SqliteDatabase.Open(Path.Combine(_directory, $"r{round}.db"), [Schema]);
            using var go = new CancellationTokenSource();
            var committed = 0;
            var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
            {
                var refused = 0;
                while (refused == 0)
                {
                    try
                    {
                        await database.WriteAsync(c =>
                        {
                            for (var i = 0; i < 50; i++)
                            {
                                c.Execute("INSERT INTO t (v) VALUES (?)", new string('x', 200));
                            }
                        }, CancellationToken.None);
                        Interlocked.Increment(ref committed);
                        database.Read(c => c.Query("SELECT v FROM t ORDER BY id DESC LIMIT 200", row => row.GetString(0)));
                    }
                    catch (ObjectDisposedException)
                    {
                        refused++;
                    }
                }
            })).ToArray();

            while (Volatile.Read(ref committed) < 4)
            {
                await Task.Delay(1);
            }

            database.Dispose();
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Throws<ObjectDisposedException>(() => database.Read(c => c.QuerySingle("SELECT 1", row => row.GetInt32(0))));
            await Assert.ThrowsAsync<ObjectDisposedException>(() => database.WriteAsync(c => c.Execute("INSERT INTO t (v) VALUES ('late')"), CancellationToken.None));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
