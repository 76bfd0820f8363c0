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
    private readonly ConcurrentQueue<PendingWrite> _pending = new();
    // No maximum: Dispose releases it too, to end the loop without an exception, racing a commit's release.
    private readonly SemaphoreSlim _checkpointDue = new(0);
    private Task _checkpointer = Task.CompletedTask;
    private int _commitsSinceCheckpoint;
    private bool _disposed;
    private long _commits;

    static SqliteDatabase() => SQLitePCL.Batteries_V2.Init();

    private SqliteDatabase(string path)
    {
        _path = path;
        _writer = new SqliteConnection(path, writer: true);
    }

    public string Path => _path;

    /// <summary>Write transactions committed since the database was opened (diagnostics and tests: writes per commit).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Writes waiting for the write lock or in the group being committed.</summary>
    public int QueuedWrites => _pending.Count;

    /// <summary>Opens (creating if needed) the database file and brings every module's schema up to date.</summary>
    public static SqliteDatabase Open(string path, IEnumerable<MigrationSet> migrations)
    {
        OwnerOnly(path);
        var database = new SqliteDatabase(path);
        database.Migrate(migrations);
        database._checkpointer = Task.Run(database.CheckpointLoopAsync);
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
        // Not created again when it is there: a thrown exception costs `cairn build`'s start-up a few milliseconds.
        try
        {
            if (!File.Exists(path))
            {
                using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite });
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process just created it.
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
    /// Runs <paramref name="work"/> in a write transaction, alone: no other write runs at the same time, and the task
    /// completes only once the transaction has committed (with synchronous=FULL, once it is on disk). An exception rolls
    /// back what <paramref name="work"/> did and is rethrown; other writes are not affected.
    /// <para>
    /// Group commit: writes that arrive while another transaction commits wait in a queue, and the next writer to get the
    /// lock runs all of them in one transaction, each inside a savepoint of its own, then commits once: one WAL write and
    /// one fsync for the group instead of one per write. Nothing is acknowledged before that commit, so a crash after an
    /// answer still loses nothing; a failed commit fails every write of the group.
    /// </para>
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var write = new PendingWrite<T>(work);
        _pending.Enqueue(write);
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (write.TryCancel())
        {
            // Not taken into a group yet: it never runs, as a write cancelled before the lock never did.
            throw;
        }
        catch (OperationCanceledException)
        {
            // Another writer took it into its group already: its outcome is the answer.
            return await write.Task.ConfigureAwait(false);
        }

        try
        {
            // Dispose closes the writer only while holding the lock; a write that waited for it finds it closed here.
            if (Volatile.Read(ref _disposed))
            {
                FailPending(new ObjectDisposedException(nameof(SqliteDatabase)));
            }
            else
            {
                // Groups are taken in arrival order, at most MaxGroupSize at a time: this write is in the first few.
                while (!write.Task.IsCompleted)
                {
                    CommitGroup();
                }
            }
        }
        finally
        {
            _writeLock.Release();
        }

        return await write.Task.ConfigureAwait(false);
    }

    public Task WriteAsync(Action<SqliteConnection> work, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            work(connection);
            return true;
        }, cancellationToken);

    /// <summary>The most writes one transaction takes from the queue (the rest go in the next).</summary>
    private const int MaxGroupSize = 256;

    /// <summary>Runs the queued writes (the caller's among them) in one transaction; holds the write lock.</summary>
    private void CommitGroup()
    {
        var group = new List<PendingWrite>();
        while (group.Count < MaxGroupSize && _pending.TryDequeue(out var next))
        {
            if (next.TryTake())
            {
                group.Add(next);
            }
        }

        if (group.Count == 0)
        {
            return;
        }

        var alone = group.Count == 1;
        try
        {
            _writer.Execute("BEGIN IMMEDIATE");
        }
        catch (Exception error)
        {
            group.ForEach(write => write.Fail(error));
            return;
        }

        try
        {
            foreach (var write in group)
            {
                if (alone)
                {
                    if (!write.Run(_writer))
                    {
                        // As one transaction of its own: a write that fails stores nothing.
                        _writer.Execute("ROLLBACK");
                        write.Complete();
                        return;
                    }

                    continue;
                }

                _writer.Execute("SAVEPOINT cairn_write");
                if (write.Run(_writer))
                {
                    _writer.Execute("RELEASE cairn_write");
                }
                else
                {
                    _writer.Execute("ROLLBACK TO cairn_write");
                    _writer.Execute("RELEASE cairn_write");
                }
            }

            _writer.Execute("COMMIT");
            Interlocked.Increment(ref _commits);
            if (++_commitsSinceCheckpoint == CommitsPerCheckpoint)
            {
                _commitsSinceCheckpoint = 0;
                // Released at most once until the checkpointer takes it: a busy writer never waits here.
                if (_checkpointDue.CurrentCount == 0)
                {
                    _checkpointDue.Release();
                }
            }
        }
        catch (Exception error)
        {
            // The commit itself (or undoing one write) failed: nothing of the group is stored.
            TryRollback();
            group.ForEach(write => write.Fail(error));
            return;
        }

        group.ForEach(write => write.Complete());
    }

    private void TryRollback()
    {
        try
        {
            _writer.Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite rolled back already (a failed COMMIT or an I/O error ends the transaction itself).
        }
    }

    private void FailPending(Exception error)
    {
        while (_pending.TryDequeue(out var write))
        {
            if (write.TryTake())
            {
                write.Fail(error);
            }
        }
    }

    /// <summary>Commits between two checkpoints (a group commit writes a few dozen pages; SQLite's own default is 1,000 pages).</summary>
    private const int CommitsPerCheckpoint = 16;

    /// <summary>
    /// The writer's own checkpoint starts only when the WAL holds this many pages (40 MiB): it is the backstop for a
    /// checkpointer that cannot keep up, not the usual path.
    /// </summary>
    internal const int WriterCheckpointPages = 10_000;

    /// <summary>
    /// Copies committed pages from the WAL into the database file on a connection of its own, so that no write waits for
    /// it: with SQLite's automatic checkpoint the commit that crosses 1,000 pages copies them all (and syncs the database
    /// file twice) while the writes of its group, and of every group behind it, wait. PASSIVE never blocks the writer or
    /// readers; the writer restarts the WAL from its beginning once a checkpoint has copied all of it.
    /// </summary>
    private async Task CheckpointLoopAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                await _checkpointDue.WaitAsync().ConfigureAwait(false);
                if (Volatile.Read(ref _disposed))
                {
                    return;
                }

                try
                {
                    connection ??= new SqliteConnection(_path);
                    connection.Query("PRAGMA wal_checkpoint(PASSIVE)", row => row.GetInt64(0));
                }
                catch (SqliteException)
                {
                    // An I/O error fails the writes too, which report it; the writer's own checkpoint bounds the WAL meanwhile.
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>A write waiting in the queue: its work, then its outcome, set only after its group committed.</summary>
    private abstract class PendingWrite
    {
        private const int Waiting = 0;
        private const int Taken = 1;
        private const int Cancelled = 2;
        private int _state;

        /// <summary>Into a group; false when its caller cancelled first.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

        /// <summary>Its caller gives up; false when a group took it already.</summary>
        public bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting;

        /// <summary>Runs the work; false when it threw (the exception is kept for its caller).</summary>
        public abstract bool Run(SqliteConnection connection);

        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, T> work) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _outcome.Task;

        public override bool Run(SqliteConnection connection)
        {
            try
            {
                _result = work(connection);
                return true;
            }
            catch (Exception error)
            {
                // The write's own exception goes to its own caller, whatever it is; the group goes on.
                _error = error;
                return false;
            }
        }

        public override void Complete()
        {
            if (_error is not null)
            {
                _outcome.SetException(_error);
            }
            else
            {
                _outcome.SetResult(_result!);
            }
        }

        public override void Fail(Exception error) => _outcome.TrySetException(error);
    }

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
        _checkpointDue.Release();
        // A checkpoint in progress finishes first (its connection closes after it); the writer's close checkpoints the rest.
        _checkpointer.Wait(DisposeWaitForWrite);
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
