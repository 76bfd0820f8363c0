using Cairn.Storage.Changes;

namespace Cairn.Storage.Sqlite;

/// <summary>
/// A store's change number as this process sees it, for caches over that store. It moves at once on writes this process
/// makes (<see cref="Moved"/>), and within <see cref="OtherProcessesDelay"/> of a write by another process sharing the
/// database: a one-row table that triggers bump on every write to the store's tables is read at most that often. For
/// services that AWS documents as eventually consistent (IAM, KMS); the Parameter Store's cache is exact instead.
/// </summary>
public sealed class SharedGeneration(SqliteDatabase database, string table, TimeSpan? otherProcessesDelay = null) : IChangeFeed
{
    public static readonly TimeSpan DefaultOtherProcessesDelay = TimeSpan.FromSeconds(1);

    private readonly string _query = $"SELECT generation FROM {table}";
    private readonly long _lookEveryMilliseconds = (long)(otherProcessesDelay ?? DefaultOtherProcessesDelay).TotalMilliseconds;
    private long _local;
    private long _database = -1;
    private long _nextLookAt;
    private int _looking;

    public TimeSpan OtherProcessesDelay => TimeSpan.FromMilliseconds(_lookEveryMilliseconds);

    /// <summary>The number to key cached values on: equal numbers mean nothing was seen to change in between.</summary>
    public long Current
    {
        get
        {
            var now = Environment.TickCount64;
            if (now >= Volatile.Read(ref _nextLookAt) && Interlocked.CompareExchange(ref _looking, 1, 0) == 0)
            {
                try
                {
                    Volatile.Write(ref _nextLookAt, now + _lookEveryMilliseconds);
                    var seen = database.Read(c => c.QuerySingle(_query, r => r.GetInt64(0)));
                    if (Interlocked.Exchange(ref _database, seen) != seen)
                    {
                        Interlocked.Increment(ref _local);
                    }
                }
                finally
                {
                    Volatile.Write(ref _looking, 0);
                }
            }

            return Interlocked.Read(ref _local);
        }
    }

    public ValueTask<long> CurrentAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Current);

    /// <summary>This process committed a write to the store.</summary>
    public void Moved() => Interlocked.Increment(ref _local);

    /// <summary>The migration step that creates <paramref name="table"/> and the triggers that bump it on writes to <paramref name="tables"/>.</summary>
    public static string MigrationStep(string table, params string[] tables) =>
        $"CREATE TABLE {table} (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);\n"
        + $"INSERT INTO {table} (id, generation) VALUES (1, 0);\n"
        + string.Concat(
            from watched in tables
            from change in (string[])["INSERT", "UPDATE", "DELETE"]
            select $"CREATE TRIGGER {watched}_generation_{change.ToLowerInvariant()} AFTER {change} ON {watched} "
                + $"BEGIN UPDATE {table} SET generation = generation + 1; END;\n");
}
