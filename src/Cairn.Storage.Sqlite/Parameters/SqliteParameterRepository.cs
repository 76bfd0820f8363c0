using Cairn.Core.Parameters;
using Cairn.Storage.Changes;
using Cairn.Storage.Parameters;

namespace Cairn.Storage.Sqlite.Parameters;

/// <summary>
/// Parameter Store in SQLite. Writes run on the database's single serialized writer, one transaction each, with
/// synchronous=FULL: a version is assigned by reading the latest and inserting the next inside that transaction,
/// so versions are gap-free under concurrency and an acknowledged write survives a crash. Its change feed is exact: the
/// number of the last change any process committed, kept by triggers in the same transaction as the change.
/// </summary>
public sealed partial class SqliteParameterRepository(SqliteDatabase database, long headCacheBytes = ParameterHeadCache.DefaultBudgetBytes)
    : IParameterRepository, IChangeFeed<IParameterRepository>
{
    public static readonly MigrationSet Migrations = new("parameters",
    [
        """
        CREATE TABLE ssm_parameters (
            account TEXT NOT NULL,
            region TEXT NOT NULL,
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            tier TEXT NOT NULL,
            expires_at INTEGER,
            PRIMARY KEY (account, region, key)) WITHOUT ROWID;
        CREATE INDEX ssm_parameters_tier ON ssm_parameters (account, region, tier);
        CREATE INDEX ssm_parameters_expiry ON ssm_parameters (expires_at) WHERE expires_at IS NOT NULL;
        CREATE TABLE ssm_parameter_versions (
            account TEXT NOT NULL,
            region TEXT NOT NULL,
            key TEXT NOT NULL,
            version INTEGER NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            key_id TEXT,
            description TEXT,
            allowed_pattern TEXT,
            data_type TEXT NOT NULL,
            tier TEXT NOT NULL,
            policies TEXT,
            modified_at INTEGER NOT NULL,
            modified_by TEXT NOT NULL,
            PRIMARY KEY (account, region, key, version),
            FOREIGN KEY (account, region, key) REFERENCES ssm_parameters (account, region, key) ON DELETE CASCADE) WITHOUT ROWID;
        CREATE TABLE ssm_parameter_labels (
            account TEXT NOT NULL,
            region TEXT NOT NULL,
            key TEXT NOT NULL,
            label TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (account, region, key, label),
            FOREIGN KEY (account, region, key, version) REFERENCES ssm_parameter_versions (account, region, key, version) ON DELETE CASCADE) WITHOUT ROWID;
        CREATE INDEX ssm_parameter_labels_version ON ssm_parameter_labels (account, region, key, version);
        CREATE TABLE ssm_parameter_tags (
            account TEXT NOT NULL,
            region TEXT NOT NULL,
            key TEXT NOT NULL,
            tag_key TEXT NOT NULL,
            tag_value TEXT NOT NULL,
            PRIMARY KEY (account, region, key, tag_key),
            FOREIGN KEY (account, region, key) REFERENCES ssm_parameters (account, region, key) ON DELETE CASCADE) WITHOUT ROWID;
        """,
        // Per-tier counts kept by triggers, so the tier limit check on a new parameter is one row read, not a scan.
        """
        CREATE TABLE ssm_tier_counts (
            account TEXT NOT NULL,
            region TEXT NOT NULL,
            tier TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (account, region, tier)) WITHOUT ROWID;
        INSERT INTO ssm_tier_counts (account, region, tier, count)
            SELECT account, region, tier, COUNT(*) FROM ssm_parameters GROUP BY account, region, tier;
        CREATE TRIGGER ssm_tier_count_insert AFTER INSERT ON ssm_parameters BEGIN
            INSERT INTO ssm_tier_counts (account, region, tier, count) VALUES (NEW.account, NEW.region, NEW.tier, 1)
                ON CONFLICT (account, region, tier) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER ssm_tier_count_delete AFTER DELETE ON ssm_parameters BEGIN
            UPDATE ssm_tier_counts SET count = count - 1 WHERE account = OLD.account AND region = OLD.region AND tier = OLD.tier;
        END;
        CREATE TRIGGER ssm_tier_count_update AFTER UPDATE OF tier ON ssm_parameters WHEN OLD.tier <> NEW.tier BEGIN
            UPDATE ssm_tier_counts SET count = count - 1 WHERE account = OLD.account AND region = OLD.region AND tier = OLD.tier;
            INSERT INTO ssm_tier_counts (account, region, tier, count) VALUES (NEW.account, NEW.region, NEW.tier, 1)
                ON CONFLICT (account, region, tier) DO UPDATE SET count = count + 1;
        END;
        """,
        // The store's generation: every change to a parameter or one of its versions is numbered, by trigger, in the same
        // transaction, whichever process makes it; the last ChangesKept are kept with their keys (ParameterHeadCache).
        """
        CREATE TABLE ssm_changes (
            generation INTEGER PRIMARY KEY AUTOINCREMENT,
            account TEXT NOT NULL,
            region TEXT NOT NULL,
            key TEXT NOT NULL);
        CREATE TRIGGER ssm_changes_keep_last AFTER INSERT ON ssm_changes BEGIN
            DELETE FROM ssm_changes WHERE generation <= NEW.generation - 10000;
        END;
        CREATE TRIGGER ssm_changes_head_insert AFTER INSERT ON ssm_parameters BEGIN
            INSERT INTO ssm_changes (account, region, key) VALUES (NEW.account, NEW.region, NEW.key);
        END;
        CREATE TRIGGER ssm_changes_head_update AFTER UPDATE ON ssm_parameters BEGIN
            INSERT INTO ssm_changes (account, region, key) VALUES (NEW.account, NEW.region, NEW.key);
        END;
        CREATE TRIGGER ssm_changes_head_delete AFTER DELETE ON ssm_parameters BEGIN
            INSERT INTO ssm_changes (account, region, key) VALUES (OLD.account, OLD.region, OLD.key);
        END;
        CREATE TRIGGER ssm_changes_version_insert AFTER INSERT ON ssm_parameter_versions BEGIN
            INSERT INTO ssm_changes (account, region, key) VALUES (NEW.account, NEW.region, NEW.key);
        END;
        CREATE TRIGGER ssm_changes_version_update AFTER UPDATE ON ssm_parameter_versions BEGIN
            INSERT INTO ssm_changes (account, region, key) VALUES (NEW.account, NEW.region, NEW.key);
        END;
        CREATE TRIGGER ssm_changes_version_delete AFTER DELETE ON ssm_parameter_versions BEGIN
            INSERT INTO ssm_changes (account, region, key) VALUES (OLD.account, OLD.region, OLD.key);
        END;
        """,
        // One change row per write instead of two, and the window trimmed once every 1,000 changes instead of at each
        // (issue 17): a version is only ever added or dropped together with a change to its head row (PutAsync: the head's
        // version moves; a delete: the head goes, its versions by cascade), whose trigger numbers the change already. A
        // version changed in place (no code does) still counts. 10,000 to 10,999 changes are kept.
        """
        DROP TRIGGER ssm_changes_version_insert;
        DROP TRIGGER ssm_changes_version_delete;
        DROP TRIGGER ssm_changes_keep_last;
        CREATE TRIGGER ssm_changes_keep_last AFTER INSERT ON ssm_changes WHEN NEW.generation % 1000 = 0 BEGIN
            DELETE FROM ssm_changes WHERE generation <= NEW.generation - 10000;
        END;
        """,
    ]);

    private const string VersionColumns =
        "v.version, v.type, v.value, v.key_id, v.description, v.allowed_pattern, v.data_type, v.tier, v.policies, v.modified_at, v.modified_by";

    // Every key is ASCII (names allow a-zA-Z0-9_.-/), so prefix + DEL bounds a prefix range.
    private const char AfterAllKeyChars = '\u007f';

    private static readonly Dictionary<string, long> NoLabels = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, string> NoTags = new(StringComparer.Ordinal);

    private readonly SqliteDatabase _database = database;
    private readonly ParameterHeadCache _heads = NewHeadCache(database, headCacheBytes);

    /// <summary>The cache of parameter heads behind <see cref="GetWithoutLabelsAsync"/> (tests and diagnostics).</summary>
    public ParameterHeadCache HeadCache => _heads;

    public ValueTask<long> CurrentAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_database.Read(ReadGeneration));

    public Task<ParameterSnapshot?> GetAsync(ParameterScope scope, string key, CancellationToken cancellationToken) =>
        Task.FromResult(_database.Read(connection => ReadSnapshot(connection, scope, key)));

    public Task<ParameterSnapshot?> GetWithoutLabelsAsync(ParameterScope scope, string key, CancellationToken cancellationToken) =>
        Task.FromResult(_database.Read(connection =>
        {
            if (!_heads.Enabled)
            {
                return ReadSnapshot(connection, scope, key, withLabels: false);
            }

            // The generation first: a head read after it is at least that new (ParameterHeadCache).
            var generation = ReadGeneration(connection);
            if (_heads.SyncedGeneration < generation)
            {
                CatchUpHeads(connection, generation);
            }

            if (_heads.TryGet(scope, key, generation, out var cached))
            {
                return cached;
            }

            var snapshot = ReadSnapshot(connection, scope, key, withLabels: false);
            _heads.Add(scope, key, generation, snapshot);
            return snapshot;
        }));

    public Task<ParameterVersion?> GetVersionAsync(ParameterScope scope, string key, long version, CancellationToken cancellationToken) =>
        Task.FromResult(_database.Read(connection => ReadVersion(connection, scope, key, version)));

    public Task<ParameterVersion?> GetLabeledVersionAsync(ParameterScope scope, string key, string label, CancellationToken cancellationToken) =>
        Task.FromResult(_database.Read(connection =>
        {
            var version = connection.QuerySingle<long?>(
                "SELECT version FROM ssm_parameter_labels WHERE account = ? AND region = ? AND key = ? AND label = ?",
                row => row.GetInt64(0), scope.AccountId, scope.Region, key, label);
            return version is { } v ? ReadVersion(connection, scope, key, v) : null;
        }));

    public Task<IReadOnlyDictionary<string, string>> GetTagsAsync(ParameterScope scope, string key, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(_database.Read(connection => ReadTags(connection, scope, key)));

    public Task<IReadOnlyList<ParameterVersion>> GetHistoryAsync(ParameterScope scope, string key, long afterVersion, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ParameterVersion>>(_database.Read(connection =>
        {
            var versions = connection.Query(
                $"SELECT {VersionColumns} FROM ssm_parameter_versions v WHERE v.account = ? AND v.region = ? AND v.key = ? AND v.version > ? ORDER BY v.version LIMIT ?",
                row => MapVersion(row, 0), scope.AccountId, scope.Region, key, afterVersion, limit);
            return versions.Select(v => v with { Labels = ReadLabelsOf(connection, scope, key, v.Version) }).ToList();
        }));

    public Task<IReadOnlyList<ParameterListing>> ListAsync(ParameterScope scope, ParameterListQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ParameterListing>>(_database.Read(connection =>
        {
            var snapshots = connection.Query(
                $"""
                SELECT p.key, p.name, p.version, p.expires_at, {VersionColumns}
                FROM ssm_parameters p
                JOIN ssm_parameter_versions v ON v.account = p.account AND v.region = p.region AND v.key = p.key AND v.version = p.version
                WHERE p.account = ? AND p.region = ? AND p.key >= ? AND p.key < ? AND p.key <> ?
                  AND (p.expires_at IS NULL OR p.expires_at > ?)
                ORDER BY p.key LIMIT ?
                """,
                row => MapSnapshot(row),
                // One lower bound, so SQLite seeks straight to it instead of scanning from the smaller of two.
                scope.AccountId, scope.Region, Max(query.AfterKey, query.KeyPrefix), query.KeyPrefix + AfterAllKeyChars,
                query.AfterKey ?? string.Empty, query.Now, query.Limit);
            return snapshots.Select(s =>
            {
                var labels = query.WithLabels ? ReadAllLabels(connection, scope, s.Key) : NoLabels;
                var latestLabels = labels.Where(l => l.Value == s.LatestVersion).Select(l => l.Key).Order(StringComparer.Ordinal).ToList();
                var tags = query.WithTags ? ReadTags(connection, scope, s.Key) : NoTags;
                return new ParameterListing(s with { Version = s.Version with { Labels = latestLabels } }, tags, labels);
            }).ToList();
        }));

    public Task<IReadOnlyList<ExpiredParameter>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ExpiredParameter>>(_database.Read(connection => connection.Query(
            "SELECT account, region, key, expires_at FROM ssm_parameters WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?",
            row => new ExpiredParameter(new ParameterScope(row.GetString(0), row.GetString(1)), row.GetString(2), FromMilliseconds(row.GetInt64(3))),
            now, limit)));

    public Task<DateTimeOffset?> NextExpirationAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_database.Read(connection => connection.QuerySingle(
            "SELECT MIN(expires_at) FROM ssm_parameters WHERE expires_at IS NOT NULL",
            row => row.IsNull(0) ? (DateTimeOffset?)null : FromMilliseconds(row.GetInt64(0)))));

    private static ParameterHeadCache NewHeadCache(SqliteDatabase database, long budgetBytes)
    {
        var cache = new ParameterHeadCache(budgetBytes);
        if (cache.Enabled)
        {
            var generation = database.Read(ReadGeneration);
            cache.CatchUp(generation, _ => []);
        }

        return cache;
    }

    private void CatchUpHeads(SqliteConnection connection, long generation) =>
        _heads.CatchUp(generation, after => ReadChanges(connection, after, generation));

    private static long ReadGeneration(SqliteConnection connection) =>
        connection.QuerySingle("SELECT COALESCE(MAX(generation), 0) FROM ssm_changes", row => row.GetInt64(0));

    private static List<ParameterChange> ReadChanges(SqliteConnection connection, long after, long upTo) =>
        connection.Query(
            "SELECT generation, account, region, key FROM ssm_changes WHERE generation > ? AND generation <= ? ORDER BY generation",
            row => new ParameterChange(row.GetInt64(0), new ParameterScope(row.GetString(1), row.GetString(2)), row.GetString(3)),
            after, upTo);

    private static string Max(string? afterKey, string prefix) =>
        afterKey is not null && string.CompareOrdinal(afterKey, prefix) > 0 ? afterKey : prefix;

    private static ParameterSnapshot? ReadSnapshot(SqliteConnection connection, ParameterScope scope, string key, bool withLabels = true)
    {
        var snapshot = connection.QuerySingle(
            $"""
            SELECT p.key, p.name, p.version, p.expires_at, {VersionColumns}
            FROM ssm_parameters p
            JOIN ssm_parameter_versions v ON v.account = p.account AND v.region = p.region AND v.key = p.key AND v.version = p.version
            WHERE p.account = ? AND p.region = ? AND p.key = ?
            """,
            MapSnapshot, scope.AccountId, scope.Region, key);
        return snapshot is null || !withLabels
            ? snapshot
            : snapshot with { Version = snapshot.Version with { Labels = ReadLabelsOf(connection, scope, key, snapshot.LatestVersion) } };
    }

    private static ParameterVersion? ReadVersion(SqliteConnection connection, ParameterScope scope, string key, long version)
    {
        var found = connection.QuerySingle(
            $"SELECT {VersionColumns} FROM ssm_parameter_versions v WHERE v.account = ? AND v.region = ? AND v.key = ? AND v.version = ?",
            row => MapVersion(row, 0), scope.AccountId, scope.Region, key, version);
        return found is null ? null : found with { Labels = ReadLabelsOf(connection, scope, key, version) };
    }

    private static List<string> ReadLabelsOf(SqliteConnection connection, ParameterScope scope, string key, long version) =>
        connection.Query(
            "SELECT label FROM ssm_parameter_labels WHERE account = ? AND region = ? AND key = ? AND version = ? ORDER BY label",
            row => row.GetString(0), scope.AccountId, scope.Region, key, version);

    private static Dictionary<string, long> ReadAllLabels(SqliteConnection connection, ParameterScope scope, string key) =>
        connection.Query(
            "SELECT label, version FROM ssm_parameter_labels WHERE account = ? AND region = ? AND key = ?",
            row => KeyValuePair.Create(row.GetString(0), row.GetInt64(1)), scope.AccountId, scope.Region, key)
            .ToDictionary(StringComparer.Ordinal);

    private static Dictionary<string, string> ReadTags(SqliteConnection connection, ParameterScope scope, string key) =>
        connection.Query(
            "SELECT tag_key, tag_value FROM ssm_parameter_tags WHERE account = ? AND region = ? AND key = ?",
            row => KeyValuePair.Create(row.GetString(0), row.GetString(1)), scope.AccountId, scope.Region, key)
            .ToDictionary(StringComparer.Ordinal);

    private static ParameterSnapshot MapSnapshot(SqliteRow row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetInt64(2),
        row.IsNull(3) ? null : FromMilliseconds(row.GetInt64(3)),
        MapVersion(row, 4));

    private static ParameterVersion MapVersion(SqliteRow row, int first) => new()
    {
        Version = row.GetInt64(first),
        Type = StringPool.Shared(row.GetString(first + 1)),
        Value = row.GetString(first + 2),
        KeyId = row.GetStringOrNull(first + 3),
        Description = row.GetStringOrNull(first + 4),
        AllowedPattern = row.GetStringOrNull(first + 5),
        DataType = StringPool.Shared(row.GetString(first + 6)),
        Tier = StringPool.Shared(row.GetString(first + 7)),
        Policies = row.GetStringOrNull(first + 8),
        LastModifiedDate = FromMilliseconds(row.GetInt64(first + 9)),
        LastModifiedUser = StringPool.Shared(row.GetString(first + 10)),
    };

    private static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
