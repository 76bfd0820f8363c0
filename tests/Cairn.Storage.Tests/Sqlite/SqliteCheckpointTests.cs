using Cairn.Storage.Sqlite;

namespace Cairn.Storage.Tests.Sqlite;

/// <summary>
/// Committed pages move from the WAL into the database file on a connection of the database's own, not inside a write's
/// commit; savepoints journal in memory; the writer keeps a cache large enough for a working set of a few thousand pages.
/// </summary>
public sealed class SqliteCheckpointTests : IDisposable
{
    private static readonly MigrationSet Schema = new("checkpoint-test", ["CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)"]);
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-checkpoint-").FullName;

    [Fact]
    public async Task Pages_reach_the_database_file_without_the_writer_checkpointing()
    {
        var path = Path.Combine(_directory, "c.db");
        using var database = SqliteDatabase.Open(path, [Schema]);
        var before = new FileInfo(path).Length;

        // 20 commits of 64 KiB each: about 340 pages in the WAL, far below the writer's own threshold of 10,000.
        for (var i = 0; i < 20; i++)
        {
            await database.WriteAsync(c => c.Execute("INSERT INTO t (v) VALUES (zeroblob(65536))"), CancellationToken.None);
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (new FileInfo(path).Length < before + (16 * 65536) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(new FileInfo(path).Length >= before + (16 * 65536),
            $"the database file holds {new FileInfo(path).Length} bytes: the WAL was not checkpointed");
        Assert.Equal(20, database.Read(c => c.QuerySingle("SELECT COUNT(*) FROM t", row => row.GetInt64(0))));
    }

    [Fact]
    public async Task Statement_journals_stay_in_memory_and_the_writer_caches_32_MiB()
    {
        using var database = SqliteDatabase.Open(Path.Combine(_directory, "p.db"), [Schema]);

        Assert.Equal(2, database.Read(c => c.QuerySingle("PRAGMA temp_store", row => row.GetInt64(0))));
        var (tempStore, cacheSize, autocheckpoint) = await database.WriteAsync(c => (
            c.QuerySingle("PRAGMA temp_store", row => row.GetInt64(0)),
            c.QuerySingle("PRAGMA cache_size", row => row.GetInt64(0)),
            c.QuerySingle("PRAGMA wal_autocheckpoint", row => row.GetInt64(0))), CancellationToken.None);
        Assert.Equal(2, tempStore);
        Assert.Equal(-32 * 1024, cacheSize);
        Assert.Equal(10_000, autocheckpoint);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
