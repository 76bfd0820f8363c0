namespace Cairn.Core.Audit;

/// <summary>Where every authenticated request is recorded.</summary>
public interface IAuditLog
{
    /// <summary>Queues entries; they are durable once <see cref="FlushAsync"/> returns.</summary>
    void Append(IEnumerable<AuditEntry> entries);

    Task FlushAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> of the oldest entries recorded before <paramref name="before"/>; returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);
}
