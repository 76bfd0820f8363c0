using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;
using Npgsql;

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

    /// <summary>
    /// Three round trips: the parameter's lock (the scope's too when it is created) and everything the planner reads (one
    /// batch, BEGIN prepended), the changes it decided (one batch), COMMIT. The reads are statements after the locks, so they
    /// see every write the locks serialized before. An overwrite holds only its parameter's lock, so overwrites of different
    /// parameters run (and commit: PostgreSQL's group commit) at once; one that changes its tier takes the scope's lock and
    /// reads the counts again under it (a fourth round trip), as a create does in the first.
    /// </summary>
    private static async Task<ParameterVersion> PutAsync(PostgresSession session, ParameterScope scope, ParameterName name, DateTimeOffset now,
        Func<ParameterWriteState, ParameterWriteDecision> decide)
    {
        var key = name.Key;
        var (scopeLocked, head, tierCounts) = await session.ReadBatchAsync(
            [
                LockKeys(scope, [key]),
                LockScopeToCreate(scope, key, now),
                PostgresSession.Statement(WriteStateSql, scope.AccountId, scope.Region, key),
                ReadTierCounts(scope),
            ],
            async reader =>
            {
                await reader.NextResultAsync(session.CancellationToken).ConfigureAwait(false);
                var scopeLocked = await reader.ReadAsync(session.CancellationToken).ConfigureAwait(false);
                await reader.NextResultAsync(session.CancellationToken).ConfigureAwait(false);
                var head = await reader.ReadAsync(session.CancellationToken).ConfigureAwait(false) ? MapWriteHead(reader) : null;
                await reader.NextResultAsync(session.CancellationToken).ConfigureAwait(false);
                return (scopeLocked, head, await MapTierCountsAsync(reader, session.CancellationToken).ConfigureAwait(false));
            }).ConfigureAwait(false);

        var writes = new List<NpgsqlBatchCommand>();
        if (head is { } expired && expired.ExpiresAt is { } expiresAt && expiresAt <= now.ToUnixTimeMilliseconds())
        {
            // Removed on the spot, as ReadLiveHeadAsync does; its tier's count drops with it (the trigger, in the batch below).
            writes.Add(DeleteParameter(scope, key));
            tierCounts[expired.Tier] = tierCounts.GetValueOrDefault(expired.Tier) - 1;
            head = null;
        }

        // A write enters a tier only under the scope's lock, on counts read after it: the planner asks for a count only when
        // the parameter enters a tier (created, or its tier changes). An overwrite that asks is decided again below, under
        // the lock; one refused on the counts read before it was refused on a state committed during this request.
        var countsAsked = false;
        long CountInTier(string tier)
        {
            countsAsked = true;
            return tierCounts.GetValueOrDefault(tier);
        }

        var state = head is null
            ? ParameterWriteState.New(CountInTier)
            : new ParameterWriteState(head.Latest, head.Count, head.Oldest, head.OldestHasLabels, CountInTier);
        var decision = decide(state);
        if (!scopeLocked && (countsAsked || head is null || decision.Version.Tier != head.Tier))
        {
            tierCounts = await session.ReadBatchAsync([LockScope(scope), ReadTierCounts(scope)], async reader =>
            {
                await reader.NextResultAsync(session.CancellationToken).ConfigureAwait(false);
                return await MapTierCountsAsync(reader, session.CancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
            decision = decide(state);
        }

        var version = decision.Version;
        if (head is null)
        {
            writes.Add(PostgresSession.Statement(
                "INSERT INTO cairn_parameters.parameters (account, region, key, name, version, tier, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                scope.AccountId, scope.Region, key, name.Name, version.Version, version.Tier, ToMilliseconds(decision.ExpiresAt)));
            writes.AddRange(decision.Tags.Select(tag => UpsertTag(scope, key, tag)));
        }
        else
        {
            writes.Add(PostgresSession.Statement(
                "UPDATE cairn_parameters.parameters SET version = $1, tier = $2, expires_at = $3 WHERE account = $4 AND region = $5 AND key = $6",
                version.Version, version.Tier, ToMilliseconds(decision.ExpiresAt), scope.AccountId, scope.Region, key));
            if (decision.DropOldest)
            {
                writes.Add(PostgresSession.Statement(
                    "DELETE FROM cairn_parameters.versions WHERE account = $1 AND region = $2 AND key = $3 AND version = $4",
                    scope.AccountId, scope.Region, key, state.OldestVersion));
            }
        }

        writes.Add(PostgresSession.Statement(
            """
            INSERT INTO cairn_parameters.versions
                (account, region, key, version, type, value, key_id, description, allowed_pattern, data_type, tier, policies, modified_at, modified_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            """,
            scope.AccountId, scope.Region, key, version.Version, version.Type, version.Value, version.KeyId, version.Description,
            version.AllowedPattern, version.DataType, version.Tier, version.Policies, version.LastModifiedDate, version.LastModifiedUser));
        await session.ExecuteBatchAsync(writes).ConfigureAwait(false);
        return version;
    }

    private static NpgsqlBatchCommand ReadTierCounts(ParameterScope scope) =>
        PostgresSession.Statement("SELECT tier, count FROM cairn_parameters.tier_counts WHERE account = $1 AND region = $2", scope.AccountId, scope.Region);

    private static async Task<Dictionary<string, long>> MapTierCountsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>What a write plans from, in one statement: the head, its latest version with labels, the version count, the oldest.</summary>
    private const string WriteStateSql =
        $"""
        SELECT p.expires_at, p.tier, {VersionColumns}, {LabelsOfVersionColumn},
            c.count, c.oldest,
            EXISTS (SELECT 1 FROM cairn_parameters.labels l
                    WHERE l.account = p.account AND l.region = p.region AND l.key = p.key AND l.version = c.oldest)
        FROM cairn_parameters.parameters p
        JOIN cairn_parameters.versions v ON v.account = p.account AND v.region = p.region AND v.key = p.key AND v.version = p.version
        CROSS JOIN LATERAL (
            SELECT COUNT(*)::integer AS count, MIN(w.version) AS oldest FROM cairn_parameters.versions w
            WHERE w.account = p.account AND w.region = p.region AND w.key = p.key) c
        WHERE p.account = $1 AND p.region = $2 AND p.key = $3
        """;

    private sealed record WriteHead(long? ExpiresAt, string Tier, ParameterVersion Latest, int Count, long Oldest, bool OldestHasLabels);

    private static WriteHead MapWriteHead(NpgsqlDataReader row) => new(
        row.IsDBNull(0) ? null : row.GetInt64(0),
        row.GetString(1),
        MapVersion(row, 2) with { Labels = [.. row.GetFieldValue<string[]>(13)] },
        row.GetInt32(14),
        row.GetInt64(15),
        row.GetBoolean(16));

    public Task<bool> DeleteAsync(ParameterScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            await session.ExecuteBatchAsync([LockKeys(scope, [key]), LockScope(scope)]).ConfigureAwait(false);
            return await DeleteOneAsync(session, scope, key, now).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> DeleteManyAsync(ParameterScope scope, IReadOnlyList<string> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return await database.WriteAsync(async session =>
        {
            await session.ExecuteBatchAsync([LockKeys(scope, keys), LockScope(scope)]).ConfigureAwait(false);
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
            await LockKeyAsync(session, scope, key).ConfigureAwait(false);
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
            await LockKeyAsync(session, scope, key).ConfigureAwait(false);
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
            await LockKeyAsync(session, scope, key).ConfigureAwait(false);
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
            await LockKeyAsync(session, scope, key).ConfigureAwait(false);
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
            await session.ExecuteBatchAsync([LockKeys(scope, [key]), LockScope(scope)]).ConfigureAwait(false);
            return await session.ExecuteAsync(
                "DELETE FROM cairn_parameters.parameters WHERE account = $1 AND region = $2 AND key = $3 AND expires_at IS NOT NULL AND expires_at <= $4",
                scope.AccountId, scope.Region, key, now).ConfigureAwait(false) > 0;
        }, cancellationToken);

    // The locks, taken in one order so writers cannot deadlock: a transaction takes its parameters' locks first (several at
    // once in one statement, in the order of their hashes), then, only when it changes the tier counts (a create, a delete,
    // a change of tier, an expired parameter's removal), the scope's lock. Each parameter's rows are changed only under its
    // lock and the tier_counts rows (moved by trigger) only under the scope's, so no one waits for a row while holding a lock
    // another row holder wants. Advisory locks are transaction-scoped (released at COMMIT or ROLLBACK) and re-entrant.

    /// <summary>Serializes this transaction with every other write to this parameter, on any server, until it ends.</summary>
    private static Task LockKeyAsync(PostgresSession session, ParameterScope scope, string key) => session.ExecuteBatchAsync([LockKeys(scope, [key])]);

    /// <summary>The locks of several parameters in one statement, in a fixed order (of their hashes).</summary>
    private static NpgsqlBatchCommand LockKeys(ParameterScope scope, IReadOnlyList<string> keys) =>
        PostgresSession.Statement(
            """
            SELECT pg_advisory_xact_lock(h) FROM (
                SELECT DISTINCT hashtextextended('cairn_parameters.key/' || $1 || '/' || $2 || '/' || k.key, 0) AS h
                FROM unnest($3::text[]) AS k(key) ORDER BY h) locks
            """,
            scope.AccountId, scope.Region, keys.ToArray());

    /// <summary>
    /// Serializes this transaction with every other change of the scope's tier counts, on any server, until it ends: the tier
    /// limits hold across servers because the counts are read after it.
    /// </summary>
    private static NpgsqlBatchCommand LockScope(ParameterScope scope) =>
        PostgresSession.Statement("SELECT pg_advisory_xact_lock(hashtextextended('cairn_parameters/' || $1 || '/' || $2, 0))", scope.AccountId, scope.Region);

    /// <summary>
    /// The scope's lock when the parameter has no live head (a write creates it), else nothing: a row when the lock was
    /// taken. Run after the parameter's lock, so the answer cannot change before the transaction ends.
    /// </summary>
    private static NpgsqlBatchCommand LockScopeToCreate(ParameterScope scope, string key, DateTimeOffset now) =>
        PostgresSession.Statement(
            """
            SELECT pg_advisory_xact_lock(hashtextextended('cairn_parameters/' || $1 || '/' || $2, 0))
            WHERE NOT EXISTS (SELECT 1 FROM cairn_parameters.parameters
                              WHERE account = $1 AND region = $2 AND key = $3 AND (expires_at IS NULL OR expires_at > $4))
            """,
            scope.AccountId, scope.Region, key, now);

    private static Task UpsertTagAsync(PostgresSession session, ParameterScope scope, string key, ParameterTag tag) =>
        session.ExecuteBatchAsync([UpsertTag(scope, key, tag)]);

    private static NpgsqlBatchCommand UpsertTag(ParameterScope scope, string key, ParameterTag tag) =>
        PostgresSession.Statement(
            """
            INSERT INTO cairn_parameters.tags (account, region, key, tag_key, tag_value) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (account, region, key, tag_key) DO UPDATE SET tag_value = excluded.tag_value
            """,
            scope.AccountId, scope.Region, key, tag.Key, tag.Value);

    private static NpgsqlBatchCommand DeleteParameter(ParameterScope scope, string key) =>
        PostgresSession.Statement("DELETE FROM cairn_parameters.parameters WHERE account = $1 AND region = $2 AND key = $3", scope.AccountId, scope.Region, key);

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
            // Its tier's count drops (the trigger): under the scope's lock, taken after the parameter's, as every count change.
            await session.ExecuteBatchAsync([LockScope(scope), DeleteParameter(scope, key)]).ConfigureAwait(false);
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
