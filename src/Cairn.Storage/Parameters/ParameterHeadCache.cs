using System.Collections.Concurrent;
using Cairn.Core.Parameters;

namespace Cairn.Storage.Parameters;

/// <summary>
/// Parameter heads (latest version, no labels) kept in memory for GetParameter(s), never served stale.
/// <para>
/// The store numbers every change to a parameter or one of its versions (its generation), in the same transaction as the
/// change, whichever process makes it, and keeps the last changes with the key each touched. The cache is synced up to a
/// generation: every change up to it has been applied (the key's entry dropped, unless the entry was read after it). A
/// reader reads the store's current generation first; when the cache is synced exactly there, a cached entry is what the
/// store holds. When the store has moved on, the reader first catches the cache up from the store's list of changes, or,
/// when that list no longer reaches back far enough, empties it. A head read after generation G was read is cached as "at
/// least G", so a change that raced with the read can only make the entry newer, never stale.
/// </para>
/// <para>
/// Writes in this process keep the cache warm: a writer that saw the store at the cache's generation when its transaction
/// began knows that its own changes are all that happened since, so it applies them and moves the cache on itself.
/// </para>
/// <para>
/// Bounded by an estimate of the bytes it holds; when an entry would pass the budget the cache is emptied and refills
/// from reads. SecureString values are held as stored: base64 ciphertext, never plaintext.
/// </para>
/// </summary>
public sealed class ParameterHeadCache(long budgetBytes)
{
    /// <summary>Room for the heads of 100,000 typical parameters (about 750 bytes each with short values).</summary>
    public const long DefaultBudgetBytes = 96L * 1024 * 1024;

    /// <summary>
    /// Per entry beyond two bytes a character: the snapshot, version, entry and dictionary node objects and eight string
    /// headers. Measured: 100,000 heads of the load bench's parameters raised the server's resident set by about 80 MB,
    /// which this estimate puts at 74 MB.
    /// </summary>
    private const int EntryOverheadBytes = 512;

    private readonly long _budgetBytes = budgetBytes;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<HeadKey, Entry> _heads = new();
    private long _synced = -1;
    private long _bytes;

    public bool Enabled => _budgetBytes > 0;

    /// <summary>How many heads are cached now (tests and diagnostics).</summary>
    public int Count => _heads.Count;

    /// <summary>The generation the cache is synced to; -1 before the first sync.</summary>
    public long SyncedGeneration => Volatile.Read(ref _synced);

    /// <summary>
    /// The head cached for the key (null: cached as absent) when the cache is synced to <paramref name="generation"/>,
    /// the store's current one as the caller just read it.
    /// </summary>
    public bool TryGet(ParameterScope scope, string key, long generation, out ParameterSnapshot? snapshot)
    {
        if (Volatile.Read(ref _synced) == generation && _heads.TryGetValue(new HeadKey(scope.AccountId, scope.Region, key), out var entry))
        {
            snapshot = entry.Snapshot;
            return true;
        }

        snapshot = null;
        return false;
    }

    /// <summary>
    /// Brings the cache to <paramref name="generation"/>. <paramref name="readChanges"/> returns the changes the store
    /// still keeps after a generation, up to <paramref name="generation"/>, oldest first.
    /// </summary>
    public void CatchUp(long generation, Func<long, IReadOnlyList<ParameterChange>> readChanges)
    {
        if (Volatile.Read(ref _synced) >= generation)
        {
            return;
        }

        lock (_gate)
        {
            var synced = _synced;
            if (synced >= generation)
            {
                return;
            }

            if (synced < 0)
            {
                Clear();
            }
            else
            {
                var changes = readChanges(synced);
                // The kept changes may start after the cache's generation: entries read before the first kept change can't be checked.
                var firstKept = changes.Count > 0 ? changes[0].Generation : generation + 1;
                if (firstKept > synced + 1)
                {
                    foreach (var (key, entry) in _heads)
                    {
                        if (entry.Generation < firstKept - 1)
                        {
                            Remove(key, entry);
                        }
                    }
                }

                foreach (var change in changes)
                {
                    var key = new HeadKey(change.Scope.AccountId, change.Scope.Region, change.Key);
                    if (_heads.TryGetValue(key, out var entry) && entry.Generation < change.Generation)
                    {
                        Remove(key, entry);
                    }
                }
            }

            Volatile.Write(ref _synced, generation);
        }
    }

    /// <summary>Caches a head (null: absent) read at or after the store was at <paramref name="generation"/>.</summary>
    public void Add(ParameterScope scope, string key, long generation, ParameterSnapshot? snapshot)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            if (generation < _synced)
            {
                // Read before a change the cache has already applied: it may be the state that change replaced.
                return;
            }

            Put(new HeadKey(scope.AccountId, scope.Region, key), generation, snapshot);
        }
    }

    /// <summary>
    /// After this process's own write to one key committed: the store was at <paramref name="before"/> when the write's
    /// transaction began and at <paramref name="after"/> when it committed, so every change in between was to that key.
    /// </summary>
    public void Wrote(ParameterScope scope, string key, long before, long after, ParameterSnapshot? snapshot)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            var headKey = new HeadKey(scope.AccountId, scope.Region, key);
            if (_synced == before)
            {
                if (_heads.TryGetValue(headKey, out var stale))
                {
                    Remove(headKey, stale);
                }

                Volatile.Write(ref _synced, after);
            }

            if (after >= _synced)
            {
                Put(headKey, after, snapshot);
            }
        }
    }

    private void Put(HeadKey key, long generation, ParameterSnapshot? snapshot)
    {
        if (_heads.TryGetValue(key, out var existing))
        {
            if (existing.Generation >= generation)
            {
                return;
            }

            Remove(key, existing);
        }

        var size = EntryOverheadBytes + (2L * (key.Key.Length + (snapshot is null ? 0 : SizeOf(snapshot))));
        if (_bytes + size > _budgetBytes)
        {
            // Full: start over rather than track recency on every read.
            Clear();
        }

        _heads[key] = new Entry(snapshot, generation, size);
        _bytes += size;
    }

    private void Remove(HeadKey key, Entry entry)
    {
        if (_heads.TryRemove(KeyValuePair.Create(key, entry)))
        {
            _bytes -= entry.Size;
        }
    }

    private void Clear()
    {
        _heads.Clear();
        _bytes = 0;
    }

    private static long SizeOf(ParameterSnapshot snapshot)
    {
        var version = snapshot.Version;
        return snapshot.Name.Length + version.Value.Length + version.LastModifiedUser.Length
            + version.Type.Length + version.DataType.Length + version.Tier.Length
            + (version.Description?.Length ?? 0) + (version.AllowedPattern?.Length ?? 0) + (version.Policies?.Length ?? 0)
            + (version.KeyId?.Length ?? 0);
    }

    private readonly record struct HeadKey(string AccountId, string Region, string Key);

    private sealed record Entry(ParameterSnapshot? Snapshot, long Generation, long Size);
}

/// <summary>One change the store numbered: generation <paramref name="Generation"/> touched this key.</summary>
public sealed record ParameterChange(long Generation, ParameterScope Scope, string Key);
