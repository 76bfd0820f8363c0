using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;

namespace Cairn.Storage.Sqlite.Parameters;

public sealed partial class SqliteParameterRepository
{
    public async Task<ParameterVersion> PutAsync(ParameterScope scope, ParameterName name, DateTimeOffset now,
        Func<ParameterWriteState, ParameterWriteDecision> decide, CancellationToken cancellationToken)
    {
        var (version, before, after, snapshot) = await _database.WriteAsync(connection =>
        {
            var before = ReadGeneration(connection);
            var (version, snapshot) = Put(connection, scope, name, now, decide);
            return (version, before, ReadGeneration(connection), snapshot);
        }, cancellationToken).ConfigureAwait(false);
        _heads.Wrote(scope, name.Key, before, after, snapshot);
        return version;
    }

    /// <summary>
    /// One statement reads what the write decides on: the head, its latest version (without labels: deciding needs none),
    /// the oldest version kept and whether a label holds it. Versions are only ever added as latest + 1 and removed as the
    /// oldest (or all with the head), so the versions kept are exactly oldest..latest and their count needs no scan.
    /// </summary>
    private const string WriteStateQuery =
        $"""
        SELECT p.name, p.expires_at, o.oldest,
            EXISTS (SELECT 1 FROM ssm_parameter_labels l WHERE l.account = p.account AND l.region = p.region AND l.key = p.key AND l.version = o.oldest),
            {VersionColumns}
        FROM ssm_parameters p
        JOIN ssm_parameter_versions v ON v.account = p.account AND v.region = p.region AND v.key = p.key AND v.version = p.version
        JOIN (SELECT MIN(version) AS oldest FROM ssm_parameter_versions WHERE account = ?1 AND region = ?2 AND key = ?3) o
        WHERE p.account = ?1 AND p.region = ?2 AND p.key = ?3
        """;

    /// <summary>Stores the version <paramref name="decide"/> makes; returns it and the head as a read would now see it.</summary>
    private static (ParameterVersion Version, ParameterSnapshot Snapshot) Put(SqliteConnection connection, ParameterScope scope,
        ParameterName name, DateTimeOffset now, Func<ParameterWriteState, ParameterWriteDecision> decide)
    {
        var key = name.Key;
        var head = connection.QuerySingle(WriteStateQuery,
            row => new StoredHead(row.GetString(0), row.IsNull(1) ? null : row.GetInt64(1), row.GetInt64(2), row.GetBoolean(3), MapVersion(row, 4)),
            scope.AccountId, scope.Region, key);
        if (head is { ExpiresAt: { } expires } && expires <= now.ToUnixTimeMilliseconds())
        {
            connection.Execute("DELETE FROM ssm_parameters WHERE account = ? AND region = ? AND key = ?", scope.AccountId, scope.Region, key);
            head = null;
        }

        // Counts expired parameters until the sweeper deletes them (within seconds), as a trigger-kept counter can't see time.
        long CountInTier(string tier) => connection.QuerySingle(
            "SELECT count FROM ssm_tier_counts WHERE account = ? AND region = ? AND tier = ?",
            row => row.GetInt64(0), scope.AccountId, scope.Region, tier);
        var state = head is null
            ? ParameterWriteState.New(CountInTier)
            : new ParameterWriteState(head.Latest, (int)(head.Latest.Version - head.Oldest + 1), head.Oldest, head.OldestHasLabels, CountInTier);

        var decision = decide(state);
        var version = decision.Version;
        if (head is null)
        {
            connection.Execute(
                "INSERT INTO ssm_parameters (account, region, key, name, version, tier, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                scope.AccountId, scope.Region, key, name.Name, version.Version, version.Tier, decision.ExpiresAt);
            foreach (var tag in decision.Tags)
            {
                connection.Execute(
                    "INSERT OR REPLACE INTO ssm_parameter_tags (account, region, key, tag_key, tag_value) VALUES (?, ?, ?, ?, ?)",
                    scope.AccountId, scope.Region, key, tag.Key, tag.Value);
            }
        }
        else
        {
            connection.Execute(
                "UPDATE ssm_parameters SET version = ?, tier = ?, expires_at = ? WHERE account = ? AND region = ? AND key = ?",
                version.Version, version.Tier, decision.ExpiresAt, scope.AccountId, scope.Region, key);
            if (decision.DropOldest)
            {
                connection.Execute(
                    "DELETE FROM ssm_parameter_versions WHERE account = ? AND region = ? AND key = ? AND version = ?",
                    scope.AccountId, scope.Region, key, state.OldestVersion);
            }
        }

        connection.Execute(
            """
            INSERT INTO ssm_parameter_versions
                (account, region, key, version, type, value, key_id, description, allowed_pattern, data_type, tier, policies, modified_at, modified_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            scope.AccountId, scope.Region, key, version.Version, version.Type, version.Value, version.KeyId, version.Description,
            version.AllowedPattern, version.DataType, version.Tier, version.Policies, version.LastModifiedDate, version.LastModifiedUser);
        return (version, StoredSnapshot(key, head?.Name ?? name.Name, version, decision.ExpiresAt));
    }

    /// <summary>The head just written, as <see cref="ReadSnapshot"/> would read it back: times to the stored millisecond, shared strings.</summary>
    private static ParameterSnapshot StoredSnapshot(string key, string name, ParameterVersion version, DateTimeOffset? expiresAt) =>
        new(key, name, version.Version, expiresAt is { } expires ? StoredTime(expires) : null, version with
        {
            Type = StringPool.Shared(version.Type),
            DataType = StringPool.Shared(version.DataType),
            Tier = StringPool.Shared(version.Tier),
            LastModifiedDate = StoredTime(version.LastModifiedDate),
            LastModifiedUser = StringPool.Shared(version.LastModifiedUser),
            Labels = [],
        });

    private static DateTimeOffset StoredTime(DateTimeOffset time) => FromMilliseconds(time.ToUnixTimeMilliseconds());

    private sealed record StoredHead(string Name, long? ExpiresAt, long Oldest, bool OldestHasLabels, ParameterVersion Latest);

    public async Task<bool> DeleteAsync(ParameterScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (deleted, before, after) = await _database.WriteAsync(connection =>
        {
            var before = ReadGeneration(connection);
            return (DeleteOne(connection, scope, key, now), before, ReadGeneration(connection));
        }, cancellationToken).ConfigureAwait(false);
        _heads.Wrote(scope, key, before, after, null);
        return deleted;
    }

    public Task<IReadOnlyList<string>> DeleteManyAsync(ParameterScope scope, IReadOnlyList<string> keys, DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync<IReadOnlyList<string>>(
            connection => keys.Where(key => DeleteOne(connection, scope, key, now)).ToList(), cancellationToken);

    public Task<LabelOutcome> LabelAsync(ParameterScope scope, string key, long? version, IReadOnlyList<string> labels, DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync(connection =>
        {
            if (ReadLiveHead(connection, scope, key, now) is not { } head)
            {
                return new LabelOutcome(LabelStatus.ParameterNotFound, 0, []);
            }

            var target = version ?? head.Version;
            if (!VersionExists(connection, scope, key, target))
            {
                return new LabelOutcome(LabelStatus.VersionNotFound, target, []);
            }

            var plan = ParameterLabeling.PlanLabel(target, labels, ReadAllLabels(connection, scope, key));
            foreach (var label in plan.Attach)
            {
                connection.Execute(
                    """
                    INSERT INTO ssm_parameter_labels (account, region, key, label, version) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (account, region, key, label) DO UPDATE SET version = excluded.version
                    """,
                    scope.AccountId, scope.Region, key, label, target);
            }

            return new LabelOutcome(LabelStatus.Done, target, plan.Invalid);
        }, cancellationToken);

    public Task<UnlabelOutcome> UnlabelAsync(ParameterScope scope, string key, long version, IReadOnlyList<string> labels, DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync(connection =>
        {
            if (ReadLiveHead(connection, scope, key, now) is null)
            {
                return new UnlabelOutcome(LabelStatus.ParameterNotFound, [], []);
            }

            if (!VersionExists(connection, scope, key, version))
            {
                return new UnlabelOutcome(LabelStatus.VersionNotFound, [], []);
            }

            var plan = ParameterLabeling.PlanUnlabel(version, labels, ReadAllLabels(connection, scope, key));
            foreach (var label in plan.Remove)
            {
                connection.Execute(
                    "DELETE FROM ssm_parameter_labels WHERE account = ? AND region = ? AND key = ? AND label = ?",
                    scope.AccountId, scope.Region, key, label);
            }

            return new UnlabelOutcome(LabelStatus.Done, plan.Remove, plan.Invalid);
        }, cancellationToken);

    public Task<bool> AddTagsAsync(ParameterScope scope, string key, IReadOnlyList<ParameterTag> tags, DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync(connection =>
        {
            if (ReadLiveHead(connection, scope, key, now) is null)
            {
                return false;
            }

            _ = ParameterTags.Merge(ReadTags(connection, scope, key), tags);
            foreach (var tag in tags)
            {
                connection.Execute(
                    "INSERT OR REPLACE INTO ssm_parameter_tags (account, region, key, tag_key, tag_value) VALUES (?, ?, ?, ?, ?)",
                    scope.AccountId, scope.Region, key, tag.Key, tag.Value);
            }

            return true;
        }, cancellationToken);

    public Task<bool> RemoveTagsAsync(ParameterScope scope, string key, IReadOnlyList<string> tagKeys, DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync(connection =>
        {
            if (ReadLiveHead(connection, scope, key, now) is null)
            {
                return false;
            }

            foreach (var tagKey in tagKeys)
            {
                connection.Execute(
                    "DELETE FROM ssm_parameter_tags WHERE account = ? AND region = ? AND key = ? AND tag_key = ?",
                    scope.AccountId, scope.Region, key, tagKey);
            }

            return true;
        }, cancellationToken);

    public Task<bool> DeleteIfExpiredAsync(ParameterScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.WriteAsync(connection => connection.Execute(
            "DELETE FROM ssm_parameters WHERE account = ? AND region = ? AND key = ? AND expires_at IS NOT NULL AND expires_at <= ?",
            scope.AccountId, scope.Region, key, now) > 0, cancellationToken);

    private static bool DeleteOne(SqliteConnection connection, ParameterScope scope, string key, DateTimeOffset now)
    {
        var live = ReadLiveHead(connection, scope, key, now) is not null;
        var deleted = connection.Execute(
            "DELETE FROM ssm_parameters WHERE account = ? AND region = ? AND key = ?", scope.AccountId, scope.Region, key) > 0;
        return live && deleted;
    }

    /// <summary>The head row of a live parameter; an expired one is removed on the spot (this runs in a write transaction).</summary>
    private static (long Version, string Name)? ReadLiveHead(SqliteConnection connection, ParameterScope scope, string key, DateTimeOffset now)
    {
        var head = connection.QuerySingle<(long Version, string Name, long? ExpiresAt)?>(
            "SELECT version, name, expires_at FROM ssm_parameters WHERE account = ? AND region = ? AND key = ?",
            row => (row.GetInt64(0), row.GetString(1), row.IsNull(2) ? null : row.GetInt64(2)), scope.AccountId, scope.Region, key);
        if (head is not { } found)
        {
            return null;
        }

        if (found.ExpiresAt is { } expires && expires <= now.ToUnixTimeMilliseconds())
        {
            connection.Execute("DELETE FROM ssm_parameters WHERE account = ? AND region = ? AND key = ?", scope.AccountId, scope.Region, key);
            return null;
        }

        return (found.Version, found.Name);
    }

    private static bool VersionExists(SqliteConnection connection, ParameterScope scope, string key, long version) =>
        connection.QuerySingle(
            "SELECT EXISTS (SELECT 1 FROM ssm_parameter_versions WHERE account = ? AND region = ? AND key = ? AND version = ?)",
            row => row.GetBoolean(0), scope.AccountId, scope.Region, key, version);
}
