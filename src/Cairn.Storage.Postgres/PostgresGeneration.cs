namespace Cairn.Storage.Postgres;

/// <summary>
/// A store's change number as SQLite's <c>SharedGeneration</c> keeps it, for IAM and KMS, which are eventually consistent
/// on AWS too: this server's own committed writes move it at once (<see cref="Moved"/>); another server's are seen when
/// the one-row counter the store's triggers keep is read, at most once per <see cref="OtherServersDelay"/> (1 s), so
/// asking on every request costs a database round trip about once a second instead of every time.
/// </summary>
public sealed class PostgresGeneration(PostgresDatabase database, string table, TimeSpan? otherServersDelay = null)
{
    public static readonly TimeSpan DefaultOtherServersDelay = TimeSpan.FromSeconds(1);

    private readonly string _query = $"SELECT generation FROM {table} WHERE id = 1";
    private readonly long _lookEveryMilliseconds = (long)(otherServersDelay ?? DefaultOtherServersDelay).TotalMilliseconds;
    private long _local;
    private long _database = -1;
    private long _nextLookAt;
    private int _looking;

    public TimeSpan OtherServersDelay => TimeSpan.FromMilliseconds(_lookEveryMilliseconds);

    /// <summary>The number to key cached values on: equal numbers mean nothing was seen to change in between.</summary>
    public async ValueTask<long> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        if (now >= Volatile.Read(ref _nextLookAt) && Interlocked.CompareExchange(ref _looking, 1, 0) == 0)
        {
            try
            {
                var seen = await database.ReadAsync(session => session.QuerySingleAsync(_query, row => row.GetInt64(0)), cancellationToken).ConfigureAwait(false);
                if (Interlocked.Exchange(ref _database, seen) != seen)
                {
                    Interlocked.Increment(ref _local);
                }

                // Only after a successful read: a failed one is tried again by the next request.
                Volatile.Write(ref _nextLookAt, now + _lookEveryMilliseconds);
            }
            finally
            {
                Volatile.Write(ref _looking, 0);
            }
        }

        return Interlocked.Read(ref _local);
    }

    /// <summary>This server committed a write to the store.</summary>
    public void Moved() => Interlocked.Increment(ref _local);
}
