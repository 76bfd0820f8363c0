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
            var version = Put(connection, scope, name, now, decide);
            return (version, before, ReadGeneration(connection), ReadSnapshot(connection, scope, name.Key, withLabels: false));
        }, cancellationToken).ConfigureAwait(false);
        _heads.Wrote(scope, name.Key, before, after, snapshot);
        return version;
    }

    private static ParameterVersion Put(SqliteConnection connection, ParameterScope scope, ParameterName name, DateTimeOffset now,
        Func<ParameterWriteState, ParameterWriteDecision> decide)
    {
        var key = name.Key;
        var head = ReadLiveHead(connection, scope, key, now);
        ParameterWriteState state;
        // Counts expired parameters until the sweeper deletes them (within seconds), as a trigger-kept counter can't see time.
        long CountInTier(string tier) => connection.QuerySingle(
            "SELECT count FROM ssm_tier_counts WHERE account = ? AND region = ? AND tier = ?",
            row => row.GetInt64(0), scope.AccountId, scope.Region, tier);
        if (head is null)
        {
            state = ParameterWriteState.New(CountInTier);
        }
        else
        {
            var latest = ReadVersion(connection, scope, key, head.Value.Version)!;
            var (count, oldest) = connection.QuerySingle(
                "SELECT COUNT(*), MIN(version) FROM ssm_parameter_versions WHERE account = ? AND region = ? AND key = ?",
                row => (row.GetInt32(0), row.GetInt64(1)), scope.AccountId, scope.Region, key);
            var oldestHasLabels = connection.QuerySingle(
                "SELECT EXISTS (SELECT 1 FROM ssm_parameter_labels WHERE account = ? AND region = ? AND key = ? AND version = ?)",
                row => row.GetBoolean(0), scope.AccountId, scope.Region, key, oldest);
            state = new ParameterWriteState(latest, count, oldest, oldestHasLabels, CountInTier);
        }

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
        return version;
    }

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
