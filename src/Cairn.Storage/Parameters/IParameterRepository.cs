using Cairn.Core.Parameters;

namespace Cairn.Storage.Parameters;

/// <summary>
/// Where Parameter Store keeps parameters, per account and region. Every write is one transaction that reads,
/// checks (through the Core rules it is handed or calls) and writes, so concurrent writers to one name get
/// gap-free, duplicate-free versions. Reads return expired-but-not-yet-swept parameters too where noted; callers
/// treat them as deleted. A backend that caches heads (SQLite: <see cref="ParameterHeadCache"/>) registers an
/// <c>IChangeFeed&lt;IParameterRepository&gt;</c> that every change to a parameter or one of its versions moves (labels and
/// tags, which GetParameter's cached heads leave out, need not); one whose every read asks a shared database (PostgreSQL)
/// registers none, so nothing can cache over it.
/// </summary>
public interface IParameterRepository
{
    /// <summary>The parameter with its latest version; null when it does not exist. May be expired: check <see cref="ParameterSnapshot.IsExpired"/>.</summary>
    Task<ParameterSnapshot?> GetAsync(ParameterScope scope, string key, CancellationToken cancellationToken);

    /// <summary>As <see cref="GetAsync"/> but without the latest version's labels: the read path of GetParameter(s), which never returns them.</summary>
    Task<ParameterSnapshot?> GetWithoutLabelsAsync(ParameterScope scope, string key, CancellationToken cancellationToken);

    /// <summary>One kept version, with its labels; null when it is not kept.</summary>
    Task<ParameterVersion?> GetVersionAsync(ParameterScope scope, string key, long version, CancellationToken cancellationToken);

    /// <summary>The version a label names; null when no version carries it.</summary>
    Task<ParameterVersion?> GetLabeledVersionAsync(ParameterScope scope, string key, string label, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> GetTagsAsync(ParameterScope scope, string key, CancellationToken cancellationToken);

    /// <summary>Kept versions after <paramref name="afterVersion"/>, oldest first.</summary>
    Task<IReadOnlyList<ParameterVersion>> GetHistoryAsync(ParameterScope scope, string key, long afterVersion, int limit, CancellationToken cancellationToken);

    /// <summary>Live (unexpired) parameters whose key starts with the query's prefix, ordered by key.</summary>
    Task<IReadOnlyList<ParameterListing>> ListAsync(ParameterScope scope, ParameterListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the parameter's state, calls <paramref name="decide"/> (which throws to refuse) and stores its decision,
    /// all in one transaction. An expired parameter is removed first and the write creates it anew.
    /// </summary>
    Task<ParameterVersion> PutAsync(ParameterScope scope, ParameterName name, DateTimeOffset now,
        Func<ParameterWriteState, ParameterWriteDecision> decide, CancellationToken cancellationToken);

    /// <summary>Deletes the parameter with all versions, labels and tags; false when there was no live one.</summary>
    Task<bool> DeleteAsync(ParameterScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes each in one transaction; returns the keys that existed.</summary>
    Task<IReadOnlyList<string>> DeleteManyAsync(ParameterScope scope, IReadOnlyList<string> keys, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Attaches labels to a version (the latest when null), moving them from other versions.</summary>
    Task<LabelOutcome> LabelAsync(ParameterScope scope, string key, long? version, IReadOnlyList<string> labels, DateTimeOffset now, CancellationToken cancellationToken);

    Task<UnlabelOutcome> UnlabelAsync(ParameterScope scope, string key, long version, IReadOnlyList<string> labels, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Adds or replaces tags; false when the parameter does not exist. Throws TooManyTagsError past 50.</summary>
    Task<bool> AddTagsAsync(ParameterScope scope, string key, IReadOnlyList<ParameterTag> tags, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes tags by key (absent keys are ignored); false when the parameter does not exist.</summary>
    Task<bool> RemoveTagsAsync(ParameterScope scope, string key, IReadOnlyList<string> tagKeys, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Parameters of every account and region whose Expiration has come, soonest first.</summary>
    Task<IReadOnlyList<ExpiredParameter>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the parameter if (still) expired at <paramref name="now"/>.</summary>
    Task<bool> DeleteIfExpiredAsync(ParameterScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The soonest Expiration of any parameter, or null when none has one.</summary>
    Task<DateTimeOffset?> NextExpirationAsync(CancellationToken cancellationToken);
}
