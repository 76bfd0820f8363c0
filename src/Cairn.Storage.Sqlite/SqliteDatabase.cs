using System.Collections.Concurrent;

namespace Cairn.Storage.Sqlite;

/// <summary>
/// The embedded database: one file in WAL mode, one writer connection (writes are serialized, which is what
/// makes parameter versions gap-free) and a pool of reader connections that run concurrently with it.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _path;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteConnection _writer;
    private readonly ConcurrentBag<SqliteConnection> _readers = new();
    private bool _disposed;

    static SqliteDatabase() => SQLitePCL.Batteries_V2.Init();

    private SqliteDatabase(string path)
    {
        _path = path;
        _writer = new SqliteConnection(path);
    }

    public string Path => _path;

    /// <summary>Opens (creating if needed) the database file and brings every module's schema up to date.</summary>
    public static SqliteDatabase Open(string path, IEnumerable<MigrationSet> migrations)
    {
        OwnerOnly(path);
        var database = new SqliteDatabase(path);
        database.Migrate(migrations);
        return database;
    }

    /// <summary>
    /// The database holds encrypted secrets, identities and the audit log: 0600 whatever the umask or the directory's
    /// mode. SQLite gives -wal and -shm the database file's mode, so creating the file first is enough; files an older
    /// version left readable by others are tightened.
    /// </summary>
    private static void OwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Already there (or another process just created it).
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                if (File.Exists(file) && (File.GetUnixFileMode(file) & ~OwnerReadWrite) != 0)
                {
                    File.SetUnixFileMode(file, OwnerReadWrite);
                }
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's file (a shared database): theirs to protect.
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> on a reader connection; sees the last committed state.</summary>
    public T Read<T>(Func<SqliteConnection, T> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_readers.TryTake(out var connection))
        {
            connection = new SqliteConnection(_path);
        }

        try
        {
            return work(connection);
        }
        finally
        {
            _readers.Add(connection);
            if (Volatile.Read(ref _disposed))
            {
                // Disposed while this read ran: Dispose has drained the pool already, or drains it alongside.
                CloseIdleReaders();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE ... COMMIT), alone: no other write
    /// runs at the same time. An exception rolls the whole transaction back and is rethrown.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Dispose closes the writer only while holding the lock; a write that waited for it finds it closed here.
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
            return InTransaction(_writer, work);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task WriteAsync(Action<SqliteConnection> work, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            work(connection);
            return true;
        }, cancellationToken);

    private static T InTransaction<T>(SqliteConnection connection, Func<SqliteConnection, T> work)
    {
        connection.Execute("BEGIN IMMEDIATE");
        try
        {
            var result = work(connection);
            connection.Execute("COMMIT");
            return result;
        }
        catch
        {
            connection.Execute("ROLLBACK");
            throw;
        }
    }

    private void Migrate(IEnumerable<MigrationSet> migrations)
    {
        _writer.ExecuteScript(
            "CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (module, version))");
        foreach (var set in migrations)
        {
            var applied = _writer.QuerySingle(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE module = ?", row => row.GetInt32(0), set.Module);
            for (var step = applied; step < set.Steps.Count; step++)
            {
                var version = step + 1;
                InTransaction(_writer, connection =>
                {
                    connection.ExecuteScript(set.Steps[step]);
                    connection.Execute("INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)",
                        set.Module, version, DateTimeOffset.UtcNow);
                    return true;
                });
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Volatile.Write(ref _disposed, true);
        // A background write (a build's record, a pipeline's execution) may be running on the writer: closing the
        // connection under it frees the native statements it is stepping through and crashes the process. Wait for it;
        // if it does not finish, leave the writer open rather than pull it from under the write.
        if (_writeLock.Wait(DisposeWaitForWrite))
        {
            _writer.Dispose();
        }

        // Readers in use are not in the pool: each closes itself when its read ends (Read sees _disposed).
        CloseIdleReaders();
    }

    private static readonly TimeSpan DisposeWaitForWrite = TimeSpan.FromSeconds(30);

    private void CloseIdleReaders()
    {
        while (_readers.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}
