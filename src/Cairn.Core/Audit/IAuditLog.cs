namespace Cairn.Core.Audit;

/// <summary>Where every authenticated request is recorded.</summary>
public interface IAuditLog
{
    /// <summary>Queues entries; they are durable once <see cref="FlushAsync"/> returns.</summary>
    void Append(IEnumerable<AuditEntry> entries);

    Task FlushAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);
}
