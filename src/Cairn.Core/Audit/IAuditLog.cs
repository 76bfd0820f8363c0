namespace Cairn.Core.Audit;

/// <summary>Where every authenticated request is recorded.</summary>
public interface IAuditLog
{
    /// <summary>Queues entries; they are durable once <see cref="FlushAsync"/> returns.</summary>
    void Append(IEnumerable<AuditEntry> entries);

    Task FlushAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// For each resource, when an allowed call by a principal of <paramref name="accountId"/> whose action starts with
    /// <paramref name="actionPrefix"/> (case-insensitive) last used it, within the log's retention. Kept up to date as
    /// entries are written (a table of last uses, one row per account, action and resource), so it costs a read of those
    /// rows, not a scan of the log: the secrets report asks it about every parameter.
    /// </summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> LastUsesAsync(string accountId, string actionPrefix, CancellationToken cancellationToken);

    /// <summary>
    /// The last use of each of these access keys that has one (<see cref="AccessKeyLastUse"/>), kept as entries are
    /// written (one row per key, upserted once per batch) and not aged out with the log: AWS keeps a key's last use for
    /// as long as the key exists.
    /// </summary>
    Task<IReadOnlyDictionary<string, AccessKeyLastUse>> AccessKeyLastUsesAsync(IReadOnlyCollection<string> accessKeyIds, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> of the oldest entries recorded before <paramref name="before"/>; returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);
}
