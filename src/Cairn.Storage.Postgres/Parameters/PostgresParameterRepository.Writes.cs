using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;

namespace Cairn.Storage.Postgres.Parameters;

public sealed partial class PostgresParameterRepository
{
    public Task<ParameterVersion> PutAsync(ParameterScope scope, ParameterName name, DateTimeOffset now,
        Func<ParameterWriteState, ParameterWriteDecision> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(decide);
        return database.WriteAsync(session => PutAsync(session, scope, name, now, decide), cancellationToken);
    }

    private static async Task<ParameterVersion> PutAsync(PostgresSession session, ParameterScope scope, ParameterName name, DateTimeOffset now,
        Func<ParameterWriteState, ParameterWriteDecision> decide)
    {
        await LockScopeAsync(session, scope).ConfigureAwait(false);
        var key = name.Key;
        var head = await ReadLiveHeadAsync(session, scope, key, now).ConfigureAwait(false);
        // Read under the scope's lock, so the count a limit check sees stays true until this write commits.
        var tierCounts = (await session.QueryAsync(
            "SELECT tier, count FROM cairn_parameters.tier_counts WHERE account = $1 AND region = $2",
            row => KeyValuePair.Create(row.GetString(0), row.GetInt64(1)), scope.AccountId, scope.Region).ConfigureAwait(false))
            .ToDictionary(StringComparer.Ordinal);
        long CountInTier(string tier) => tierCounts.GetValueOrDefault(tier);
        ParameterWriteState state;
        if (head is null)
        {
            state = ParameterWriteState.New(CountInTier);
        }
        else
        {
            var latest = (await ReadVersionAsync(session, scope, key, head.Value.Version).ConfigureAwait(false))!;
            var (count, oldest) = await session.QuerySingleAsync(
                "SELECT COUNT(*)::integer, MIN(version) FROM cairn_parameters.versions WHERE account = $1 AND region = $2 AND key = $3",
                row => (row.GetInt32(0), row.GetInt64(1)), scope.AccountId, scope.Region, key).ConfigureAwait(false);
            var oldestHasLabels = await session.QuerySingleAsync(
                "SELECT EXISTS (SELECT 1 FROM cairn_parameters.labels WHERE account = $1 AND region = $2 AND key = $3 AND version = $4)",
                row => row.GetBoolean(0), scope.AccountId, scope.Region, key, oldest).ConfigureAwait(false);
            state = new ParameterWriteState(latest, count, oldest, oldestHasLabels, CountInTier);
        }

        var decision = decide(state);
        var version = decision.Version;
        if (head is null)
        {
            await session.ExecuteAsync(
                "INSERT INTO cairn_parameters.parameters (account, region, key, name, version, tier, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                scope.AccountId, scope.Region, key, name.Name, version.Version, version.Tier, ToMilliseconds(decision.ExpiresAt)).ConfigureAwait(false);
            foreach (var tag in decision.Tags)
            {
                await UpsertTagAsync(session, scope, key, tag).ConfigureAwait(false);
            }
        }
        else
        {
            await session.ExecuteAsync(
                "UPDATE cairn_parameters.parameters SET version = $1, tier = $2, expires_at = $3 WHERE account = $4 AND region = $5 AND key = $6",
                version.Version, version.Tier, ToMilliseconds(decision.ExpiresAt), scope.AccountId, scope.Region, key).ConfigureAwait(false);
            if (decision.DropOldest)
            {
                await session.ExecuteAsync(
                    "DELETE FROM cairn_parameters.versions WHERE account = $1 AND region = $2 AND key = $3 AND version = $4",
                    scope.AccountId, scope.Region, key, state.OldestVersion).ConfigureAwait(false);
            }
        }

        await session.ExecuteAsync(
            """
            INSERT INTO cairn_parameters.versions
                (account, region, key, version, type, value, key_id, description, allowed_pattern, data_type, tier, policies, modified_at, modified_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            """,
            scope.AccountId, scope.Region, key, version.Version, version.Type, version.Value, version.KeyId, version.Description,
            version.AllowedPattern, version.DataType, version.Tier, version.Policies, version.LastModifiedDate, version.LastModifiedUser).ConfigureAwait(false);
        return version;
    }

    public Task<bool> DeleteAsync(ParameterScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            await LockScopeAsync(session, scope).ConfigureAwait(false);
            return await DeleteOneAsync(session, scope, key, now).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> DeleteManyAsync(ParameterScope scope, IReadOnlyList<string> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return await database.WriteAsync(async session =>
        {
            await LockScopeAsync(session, scope).ConfigureAwait(false);
            var deleted = new List<string>();
            foreach (var key in keys)
            {
                if (await DeleteOneAsync(session, scope, key, now).ConfigureAwait(false))
                {
                    deleted.Add(key);
                }
            }

            return deleted;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<LabelOutcome> LabelAsync(ParameterScope scope, string key, long? version, IReadOnlyList<string> labels, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            await LockScopeAsync(session, scope).ConfigureAwait(false);
            if (await ReadLiveHeadAsync(session, scope, key, now).ConfigureAwait(false) is not { } head)
            {
                return new LabelOutcome(LabelStatus.ParameterNotFound, 0, []);
            }

            var target = version ?? head.Version;
            if (!await VersionExistsAsync(session, scope, key, target).ConfigureAwait(false))
            {
                return new LabelOutcome(LabelStatus.VersionNotFound, target, []);
            }

            var plan = ParameterLabeling.PlanLabel(target, labels, await ReadAllLabelsAsync(session, scope, key).ConfigureAwait(false));
            foreach (var label in plan.Attach)
            {
                await session.ExecuteAsync(
                    """
                    INSERT INTO cairn_parameters.labels (account, region, key, label, version) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (account, region, key, label) DO UPDATE SET version = excluded.version
                    """,
                    scope.AccountId, scope.Region, key, label, target).ConfigureAwait(false);
            }

            return new LabelOutcome(LabelStatus.Done, target, plan.Invalid);
        }, cancellationToken);

    public Task<UnlabelOutcome> UnlabelAsync(ParameterScope scope, string key, long version, IReadOnlyList<string> labels, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            await LockScopeAsync(session, scope).ConfigureAwait(false);
            if (await ReadLiveHeadAsync(session, scope, key, now).ConfigureAwait(false) is null)
            {
                return new UnlabelOutcome(LabelStatus.ParameterNotFound, [], []);
            }

            if (!await VersionExistsAsync(session, scope, key, version).ConfigureAwait(false))
            {
                return new UnlabelOutcome(LabelStatus.VersionNotFound, [], []);
            }

            var plan = ParameterLabeling.PlanUnlabel(version, labels, await ReadAllLabelsAsync(session, scope, key).ConfigureAwait(false));
            foreach (var label in plan.Remove)
            {
                await session.ExecuteAsync(
                    "DELETE FROM cairn_parameters.labels WHERE account = $1 AND region = $2 AND key = $3 AND label = $4",
                    scope.AccountId, scope.Region, key, label).ConfigureAwait(false);
            }

            return new UnlabelOutcome(LabelStatus.Done, plan.Remove, plan.Invalid);
        }, cancellationToken);

    public Task<bool> AddTagsAsync(ParameterScope scope, string key, IReadOnlyList<ParameterTag> tags, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            await LockScopeAsync(session, scope).ConfigureAwait(false);
            if (await ReadLiveHeadAsync(session, scope, key, now).ConfigureAwait(false) is null)
            {
                return false;
            }

            _ = ParameterTags.Merge(await ReadTagsAsync(session, scope, key).ConfigureAwait(false), tags);
            foreach (var tag in tags)
            {
                await UpsertTagAsync(session, scope, key, tag).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);

    public Task<bool> RemoveTagsAsync(ParameterScope scope, string key, IReadOnlyList<string> tagKeys, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            await LockScopeAsync(session, scope).ConfigureAwait(false);
            if (await ReadLiveHeadAsync(session, scope, key, now).ConfigureAwait(false) is null)
            {
                return false;
            }

            foreach (var tagKey in tagKeys)
            {
                await session.ExecuteAsync(
                    "DELETE FROM cairn_parameters.tags WHERE account = $1 AND region = $2 AND key = $3 AND tag_key = $4",
                    scope.AccountId, scope.Region, key, tagKey).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);

    public Task<bool> DeleteIfExpiredAsync(ParameterScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            await LockScopeAsync(session, scope).ConfigureAwait(false);
            return await session.ExecuteAsync(
                "DELETE FROM cairn_parameters.parameters WHERE account = $1 AND region = $2 AND key = $3 AND expires_at IS NOT NULL AND expires_at <= $4",
                scope.AccountId, scope.Region, key, now).ConfigureAwait(false) > 0;
        }, cancellationToken);

    /// <summary>
    /// Serializes this transaction with every other write to the account and region, on any server, until it ends. One lock
    /// per transaction, always taken first: writes cannot deadlock on it.
    /// </summary>
    private static Task LockScopeAsync(PostgresSession session, ParameterScope scope) =>
        session.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended('cairn_parameters/' || $1 || '/' || $2, 0))", scope.AccountId, scope.Region);

    private static Task UpsertTagAsync(PostgresSession session, ParameterScope scope, string key, ParameterTag tag) =>
        session.ExecuteAsync(
            """
            INSERT INTO cairn_parameters.tags (account, region, key, tag_key, tag_value) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (account, region, key, tag_key) DO UPDATE SET tag_value = excluded.tag_value
            """,
            scope.AccountId, scope.Region, key, tag.Key, tag.Value);

    private static async Task<bool> DeleteOneAsync(PostgresSession session, ParameterScope scope, string key, DateTimeOffset now)
    {
        var live = await ReadLiveHeadAsync(session, scope, key, now).ConfigureAwait(false) is not null;
        var deleted = await session.ExecuteAsync(
            "DELETE FROM cairn_parameters.parameters WHERE account = $1 AND region = $2 AND key = $3", scope.AccountId, scope.Region, key).ConfigureAwait(false) > 0;
        return live && deleted;
    }

    /// <summary>The head row of a live parameter; an expired one is removed on the spot (this runs in a write transaction).</summary>
    private static async Task<(long Version, string Name)?> ReadLiveHeadAsync(PostgresSession session, ParameterScope scope, string key, DateTimeOffset now)
    {
        var head = await session.QuerySingleAsync<(long Version, string Name, long? ExpiresAt)?>(
            "SELECT version, name, expires_at FROM cairn_parameters.parameters WHERE account = $1 AND region = $2 AND key = $3",
            row => (row.GetInt64(0), row.GetString(1), row.IsDBNull(2) ? null : row.GetInt64(2)), scope.AccountId, scope.Region, key).ConfigureAwait(false);
        if (head is not { } found)
        {
            return null;
        }

        if (found.ExpiresAt is { } expires && expires <= now.ToUnixTimeMilliseconds())
        {
            await session.ExecuteAsync("DELETE FROM cairn_parameters.parameters WHERE account = $1 AND region = $2 AND key = $3",
                scope.AccountId, scope.Region, key).ConfigureAwait(false);
            return null;
        }

        return (found.Version, found.Name);
    }

    private static Task<bool> VersionExistsAsync(PostgresSession session, ParameterScope scope, string key, long version) =>
        session.QuerySingleAsync(
            "SELECT EXISTS (SELECT 1 FROM cairn_parameters.versions WHERE account = $1 AND region = $2 AND key = $3 AND version = $4)",
            row => row.GetBoolean(0), scope.AccountId, scope.Region, key, version);

    private static long? ToMilliseconds(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();
}
