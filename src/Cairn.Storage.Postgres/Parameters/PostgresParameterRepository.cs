using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;
using Npgsql;

namespace Cairn.Storage.Postgres.Parameters;

/// <summary>
/// Parameter Store in PostgreSQL (schema <c>cairn_parameters</c>, <see cref="ParameterMigrations"/>). Every write is one
/// transaction that first takes an advisory lock on each parameter it changes, and on its account and region only when it
/// changes the tier counts (creates, deletes, a change of tier), so writes to one parameter are serialized across every
/// server (gap-free versions) and tier limits are exact, while overwrites of different parameters run at once and reads
/// never wait. No change feed and no cache: every read asks the database, so a read through any server sees every write
/// committed before it began (docs/adr/0005-postgresql-storage.md, "Parameter writes"). Values arrive and are stored as
/// the service hands them over: SecureStrings as ciphertext.
/// </summary>
public sealed partial class PostgresParameterRepository(PostgresDatabase database) : IParameterRepository
{
    private const string VersionColumns =
        "v.version, v.type, v.value, v.key_id, v.description, v.allowed_pattern, v.data_type, v.tier, v.policies, v.modified_at, v.modified_by";

    /// <summary>The labels of version row <c>v</c>, in order, as one text[] column.</summary>
    private const string LabelsOfVersionColumn =
        "ARRAY(SELECT l.label FROM cairn_parameters.labels l WHERE l.account = v.account AND l.region = v.region AND l.key = v.key AND l.version = v.version ORDER BY l.label)";

    // Every key is ASCII (names allow a-zA-Z0-9_.-/), so prefix + DEL bounds a prefix range (keys compare as "C").
    private const char AfterAllKeyChars = '\u007f';

    private static readonly Dictionary<string, long> NoLabels = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, string> NoTags = new(StringComparer.Ordinal);

    public Task<ParameterSnapshot?> GetAsync(ParameterScope scope, string key, CancellationToken cancellationToken) =>
        database.ReadAsync(session => ReadSnapshotAsync(session, scope, key, withLabels: true), cancellationToken);

    public Task<ParameterSnapshot?> GetWithoutLabelsAsync(ParameterScope scope, string key, CancellationToken cancellationToken) =>
        database.ReadAsync(session => ReadSnapshotAsync(session, scope, key, withLabels: false), cancellationToken);

    public Task<ParameterVersion?> GetVersionAsync(ParameterScope scope, string key, long version, CancellationToken cancellationToken) =>
        database.ReadAsync(session => ReadVersionAsync(session, scope, key, version), cancellationToken);

    public Task<ParameterVersion?> GetLabeledVersionAsync(ParameterScope scope, string key, string label, CancellationToken cancellationToken) =>
        database.ReadAsync(async session =>
        {
            var version = await session.QuerySingleAsync<long?>(
                "SELECT version FROM cairn_parameters.labels WHERE account = $1 AND region = $2 AND key = $3 AND label = $4",
                row => row.GetInt64(0), scope.AccountId, scope.Region, key, label).ConfigureAwait(false);
            return version is { } v ? await ReadVersionAsync(session, scope, key, v).ConfigureAwait(false) : null;
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>> GetTagsAsync(ParameterScope scope, string key, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => ReadTagsAsync(session, scope, key), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ParameterVersion>> GetHistoryAsync(ParameterScope scope, string key, long afterVersion, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(async session =>
        {
            var versions = await session.QueryAsync(
                $"SELECT {VersionColumns} FROM cairn_parameters.versions v WHERE v.account = $1 AND v.region = $2 AND v.key = $3 AND v.version > $4 ORDER BY v.version LIMIT $5",
                row => MapVersion(row, 0), scope.AccountId, scope.Region, key, afterVersion, limit).ConfigureAwait(false);
            var labels = await ReadAllLabelsAsync(session, scope, key).ConfigureAwait(false);
            return versions.Select(v => v with { Labels = LabelsOf(labels, v.Version) }).ToList();
        }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ParameterListing>> ListAsync(ParameterScope scope, ParameterListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await database.ReadAsync(async session =>
        {
            var snapshots = await session.QueryAsync(
                $"""
                SELECT p.key, p.name, p.version, p.expires_at, {VersionColumns}
                FROM cairn_parameters.parameters p
                JOIN cairn_parameters.versions v ON v.account = p.account AND v.region = p.region AND v.key = p.key AND v.version = p.version
                WHERE p.account = $1 AND p.region = $2 AND p.key >= $3 AND p.key < $4 AND p.key <> $5
                  AND (p.expires_at IS NULL OR p.expires_at > $6)
                ORDER BY p.key LIMIT $7
                """,
                MapSnapshot,
                scope.AccountId, scope.Region, Max(query.AfterKey, query.KeyPrefix), query.KeyPrefix + AfterAllKeyChars,
                query.AfterKey ?? string.Empty, query.Now, query.Limit).ConfigureAwait(false);
            var listings = new List<ParameterListing>(snapshots.Count);
            foreach (var s in snapshots)
            {
                var labels = query.WithLabels ? await ReadAllLabelsAsync(session, scope, s.Key).ConfigureAwait(false) : NoLabels;
                var tags = query.WithTags ? await ReadTagsAsync(session, scope, s.Key).ConfigureAwait(false) : NoTags;
                listings.Add(new ParameterListing(s with { Version = s.Version with { Labels = LabelsOf(labels, s.LatestVersion) } }, tags, labels));
            }

            return listings;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ExpiredParameter>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            "SELECT account, region, key, expires_at FROM cairn_parameters.parameters WHERE expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2",
            row => new ExpiredParameter(new ParameterScope(row.GetString(0), row.GetString(1)), row.GetString(2), FromMilliseconds(row.GetInt64(3))),
            now, limit), cancellationToken).ConfigureAwait(false);

    public Task<DateTimeOffset?> NextExpirationAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(session => session.QuerySingleAsync(
            "SELECT MIN(expires_at) FROM cairn_parameters.parameters WHERE expires_at IS NOT NULL",
            row => row.IsDBNull(0) ? (DateTimeOffset?)null : FromMilliseconds(row.GetInt64(0))), cancellationToken);

    private static string Max(string? afterKey, string prefix) =>
        afterKey is not null && string.CompareOrdinal(afterKey, prefix) > 0 ? afterKey : prefix;

    private static List<string> LabelsOf(Dictionary<string, long> labels, long version) =>
        labels.Where(l => l.Value == version).Select(l => l.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>The head and, when asked, its labels: one statement, one round trip.</summary>
    private static Task<ParameterSnapshot?> ReadSnapshotAsync(PostgresSession session, ParameterScope scope, string key, bool withLabels) =>
        session.QuerySingleAsync(
            $"""
            SELECT p.key, p.name, p.version, p.expires_at, {VersionColumns}{(withLabels ? ", " + LabelsOfVersionColumn : string.Empty)}
            FROM cairn_parameters.parameters p
            JOIN cairn_parameters.versions v ON v.account = p.account AND v.region = p.region AND v.key = p.key AND v.version = p.version
            WHERE p.account = $1 AND p.region = $2 AND p.key = $3
            """,
            row =>
            {
                var snapshot = MapSnapshot(row);
                return withLabels ? snapshot with { Version = snapshot.Version with { Labels = [.. row.GetFieldValue<string[]>(15)] } } : snapshot;
            },
            scope.AccountId, scope.Region, key);

    private static Task<ParameterVersion?> ReadVersionAsync(PostgresSession session, ParameterScope scope, string key, long version) =>
        session.QuerySingleAsync(
            $"SELECT {VersionColumns}, {LabelsOfVersionColumn} FROM cairn_parameters.versions v WHERE v.account = $1 AND v.region = $2 AND v.key = $3 AND v.version = $4",
            row => MapVersion(row, 0) with { Labels = [.. row.GetFieldValue<string[]>(11)] }, scope.AccountId, scope.Region, key, version);

    private static async Task<Dictionary<string, long>> ReadAllLabelsAsync(PostgresSession session, ParameterScope scope, string key) =>
        (await session.QueryAsync(
            "SELECT label, version FROM cairn_parameters.labels WHERE account = $1 AND region = $2 AND key = $3",
            row => KeyValuePair.Create(row.GetString(0), row.GetInt64(1)), scope.AccountId, scope.Region, key).ConfigureAwait(false))
            .ToDictionary(StringComparer.Ordinal);

    private static async Task<Dictionary<string, string>> ReadTagsAsync(PostgresSession session, ParameterScope scope, string key) =>
        (await session.QueryAsync(
            "SELECT tag_key, tag_value FROM cairn_parameters.tags WHERE account = $1 AND region = $2 AND key = $3",
            row => KeyValuePair.Create(row.GetString(0), row.GetString(1)), scope.AccountId, scope.Region, key).ConfigureAwait(false))
            .ToDictionary(StringComparer.Ordinal);

    private static ParameterSnapshot MapSnapshot(NpgsqlDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetInt64(2),
        row.IsDBNull(3) ? null : FromMilliseconds(row.GetInt64(3)),
        MapVersion(row, 4));

    private static ParameterVersion MapVersion(NpgsqlDataReader row, int first) => new()
    {
        Version = row.GetInt64(first),
        Type = row.GetString(first + 1),
        Value = row.GetString(first + 2),
        KeyId = StringOrNull(row, first + 3),
        Description = StringOrNull(row, first + 4),
        AllowedPattern = StringOrNull(row, first + 5),
        DataType = row.GetString(first + 6),
        Tier = row.GetString(first + 7),
        Policies = StringOrNull(row, first + 8),
        LastModifiedDate = FromMilliseconds(row.GetInt64(first + 9)),
        LastModifiedUser = row.GetString(first + 10),
    };

    private static string? StringOrNull(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    private static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
