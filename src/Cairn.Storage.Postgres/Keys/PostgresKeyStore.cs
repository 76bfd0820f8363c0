using System.Text.Json;
using Cairn.Core.Keys;
using Cairn.Storage.Changes;
using Cairn.Storage.Keys;
using Npgsql;

namespace Cairn.Storage.Postgres.Keys;

/// <summary>
/// KMS keys and aliases in PostgreSQL (schema <c>cairn_keys</c>, <see cref="KeyMigrations"/>); keys hold only wrapped
/// material. Every lookup reads the database, so every server sees every committed write at once; the change feed, for
/// caches in front of the store, is the number the schema's triggers move, read at most once a second (this server's own
/// writes move it at once), as KMS is eventually consistent on AWS too.
/// </summary>
public sealed class PostgresKeyStore(PostgresDatabase database, TimeSpan? otherServersDelay = null) : IKeyStore, IChangeFeed<IKeyStore>
{
    private readonly PostgresGeneration _generation = new(database, "cairn_keys.generation", otherServersDelay);

    private const string KeyColumns =
        "k.account_id, k.region, k.key_id, k.description, k.key_usage, k.key_spec, k.origin, k.key_manager, k.enabled, k.created_at, k.wrapped_material, k.policy, k.tags, "
        + "k.deletion_date, k.pending_window_days, k.rotation_period_days, k.next_rotation_date, k.rotations";

    private const string AliasColumns = "account_id, region, alias_name, target_key_id, created_at, updated_at";

    /// <summary>This server's writes at once, other servers' within a second (<see cref="PostgresGeneration"/>), as SQLite's.</summary>
    public ValueTask<long> CurrentAsync(CancellationToken cancellationToken) => _generation.CurrentAsync(cancellationToken);

    public Task<KeyRecord?> FindKeyAsync(KeyScope scope, string keyId, CancellationToken cancellationToken) =>
        database.ReadAsync(session => FindByIdAsync(session, scope, keyId, forUpdate: false), cancellationToken);

    public Task<KeyRecord?> FindKeyByAliasAsync(KeyScope scope, string aliasName, CancellationToken cancellationToken) =>
        database.ReadAsync(session => FindByAliasAsync(session, scope, aliasName), cancellationToken);

    public Task InsertKeyAsync(KeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(session => InsertAsync(session, key), cancellationToken);
    }

    public Task<KeyRecord> GetOrCreateAliasedKeyAsync(KeyRecord candidate, string aliasName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return WriteAsync(async session =>
        {
            // Concurrent first uses on any server: the lock makes the second wait, then find the first one's key.
            await session.ExecuteAsync(
                "SELECT pg_advisory_xact_lock(hashtextextended('cairn_keys/' || $1 || '/' || $2 || '/' || $3, 0))",
                candidate.Scope.AccountId, candidate.Scope.Region, aliasName).ConfigureAwait(false);
            if (await FindByAliasAsync(session, candidate.Scope, aliasName).ConfigureAwait(false) is { } found)
            {
                return found;
            }

            await InsertAsync(session, candidate).ConfigureAwait(false);
            await InsertAliasAsync(session, new AliasRecord(candidate.Scope, aliasName, candidate.KeyId, now, now)).ConfigureAwait(false);
            return candidate;
        }, cancellationToken);
    }

    public Task<bool> SetEnabledAsync(KeyScope scope, string keyId, bool enabled, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async session => await session.ExecuteAsync(
            "UPDATE cairn_keys.keys SET enabled = $1, updated_at = $2 WHERE account_id = $3 AND region = $4 AND key_id = $5",
            enabled, now, scope.AccountId, scope.Region, keyId).ConfigureAwait(false) > 0, cancellationToken);

    public Task<KeyRecord?> UpdateKeyAsync(KeyScope scope, string keyId, Func<KeyRecord, KeyRecord> change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(async session =>
        {
            // FOR UPDATE: a concurrent change to the same key waits and then sees this one's result.
            if (await FindByIdAsync(session, scope, keyId, forUpdate: true).ConfigureAwait(false) is not { } found)
            {
                return null;
            }

            var key = change(found);
            await session.ExecuteAsync(
                "UPDATE cairn_keys.keys SET description = $1, enabled = $2, policy = $3, tags = $4, deletion_date = $5, pending_window_days = $6, "
                + "rotation_period_days = $7, next_rotation_date = $8, rotations = $9, updated_at = $10 WHERE account_id = $11 AND region = $12 AND key_id = $13",
                key.Description, key.Enabled, key.Policy, JsonSerializer.Serialize(key.Tags), key.DeletionDate, key.PendingWindowInDays,
                key.RotationPeriodInDays, key.NextRotationDate, JsonSerializer.Serialize(key.Rotations), now, scope.AccountId, scope.Region, keyId).ConfigureAwait(false);
            return key;
        }, cancellationToken);
    }

    public Task<bool> DeleteKeyAsync(KeyScope scope, string keyId, CancellationToken cancellationToken) =>
        WriteAsync(async session =>
        {
            await session.ExecuteAsync("DELETE FROM cairn_keys.aliases WHERE account_id = $1 AND region = $2 AND target_key_id = $3",
                scope.AccountId, scope.Region, keyId).ConfigureAwait(false);
            return await session.ExecuteAsync("DELETE FROM cairn_keys.keys WHERE account_id = $1 AND region = $2 AND key_id = $3",
                scope.AccountId, scope.Region, keyId).ConfigureAwait(false) > 0;
        }, cancellationToken);

    public Task DeleteKeysDueAsync(KeyScope scope, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async session =>
        {
            await session.ExecuteAsync(
                "DELETE FROM cairn_keys.aliases WHERE account_id = $1 AND region = $2 AND target_key_id IN "
                + "(SELECT key_id FROM cairn_keys.keys WHERE account_id = $1 AND region = $2 AND deletion_date <= $3)",
                scope.AccountId, scope.Region, now).ConfigureAwait(false);
            await session.ExecuteAsync("DELETE FROM cairn_keys.keys WHERE account_id = $1 AND region = $2 AND deletion_date <= $3",
                scope.AccountId, scope.Region, now).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> UpdateAliasAsync(KeyScope scope, string aliasName, string targetKeyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async session => await session.ExecuteAsync(
            "UPDATE cairn_keys.aliases SET target_key_id = $1, updated_at = $2 WHERE account_id = $3 AND region = $4 AND alias_name = $5",
            targetKeyId, now, scope.AccountId, scope.Region, aliasName).ConfigureAwait(false) > 0, cancellationToken);

    public Task<bool> DeleteAliasAsync(KeyScope scope, string aliasName, CancellationToken cancellationToken) =>
        WriteAsync(async session => await session.ExecuteAsync(
            "DELETE FROM cairn_keys.aliases WHERE account_id = $1 AND region = $2 AND alias_name = $3",
            scope.AccountId, scope.Region, aliasName).ConfigureAwait(false) > 0, cancellationToken);

    public Task<AliasRecord?> FindAliasAsync(KeyScope scope, string aliasName, CancellationToken cancellationToken) =>
        database.ReadAsync(session => session.QuerySingleAsync(
            $"SELECT {AliasColumns} FROM cairn_keys.aliases WHERE account_id = $1 AND region = $2 AND alias_name = $3",
            ReadAlias, scope.AccountId, scope.Region, aliasName), cancellationToken);

    public async Task<bool> TryInsertAliasAsync(AliasRecord alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alias);
        // ON CONFLICT DO NOTHING: a taken name inserts nothing, so neither the row nor the change feed moves.
        var inserted = await database.WriteAsync(async session => await session.ExecuteAsync(
            "INSERT INTO cairn_keys.aliases (account_id, region, alias_name, target_key_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
            + "ON CONFLICT (account_id, region, alias_name) DO NOTHING",
            alias.Scope.AccountId, alias.Scope.Region, alias.AliasName, alias.TargetKeyId, alias.CreatedAt, alias.UpdatedAt).ConfigureAwait(false) > 0, cancellationToken).ConfigureAwait(false);
        if (inserted)
        {
            _generation.Moved();
        }

        return inserted;
    }

    public async Task<IReadOnlyList<KeyRecord>> ListKeysAsync(KeyScope scope, string? afterKeyId, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            $"SELECT {KeyColumns} FROM cairn_keys.keys k WHERE k.account_id = $1 AND k.region = $2 AND k.key_id > $3 ORDER BY k.key_id LIMIT $4",
            ReadKey, scope.AccountId, scope.Region, afterKeyId ?? string.Empty, limit), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<AliasRecord>> ListAliasesAsync(KeyScope scope, string? targetKeyId, string? afterAliasName, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => targetKeyId is null
            ? session.QueryAsync(
                $"SELECT {AliasColumns} FROM cairn_keys.aliases WHERE account_id = $1 AND region = $2 AND alias_name > $3 ORDER BY alias_name LIMIT $4",
                ReadAlias, scope.AccountId, scope.Region, afterAliasName ?? string.Empty, limit)
            : session.QueryAsync(
                $"SELECT {AliasColumns} FROM cairn_keys.aliases WHERE account_id = $1 AND region = $2 AND target_key_id = $3 AND alias_name > $4 ORDER BY alias_name LIMIT $5",
                ReadAlias, scope.AccountId, scope.Region, targetKeyId, afterAliasName ?? string.Empty, limit), cancellationToken).ConfigureAwait(false);

    public Task<byte[]> GetOrAddMasterKeyCheckAsync(byte[] candidate, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async session =>
        {
            // The first server to commit wins; the others read its value back.
            await session.ExecuteAsync(
                "INSERT INTO cairn_keys.master_key_check (id, check_value, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
                candidate, now).ConfigureAwait(false);
            return (await session.QuerySingleAsync("SELECT check_value FROM cairn_keys.master_key_check WHERE id = 1",
                row => (byte[])row.GetValue(0)).ConfigureAwait(false))!;
        }, cancellationToken);

    private static Task<KeyRecord?> FindByIdAsync(PostgresSession session, KeyScope scope, string keyId, bool forUpdate) =>
        session.QuerySingleAsync(
            $"SELECT {KeyColumns} FROM cairn_keys.keys k WHERE k.account_id = $1 AND k.region = $2 AND k.key_id = $3" + (forUpdate ? " FOR UPDATE" : string.Empty),
            ReadKey, scope.AccountId, scope.Region, keyId);

    private static Task<KeyRecord?> FindByAliasAsync(PostgresSession session, KeyScope scope, string aliasName) =>
        session.QuerySingleAsync(
            $"SELECT {KeyColumns} FROM cairn_keys.aliases a JOIN cairn_keys.keys k ON k.account_id = a.account_id AND k.region = a.region AND k.key_id = a.target_key_id "
            + "WHERE a.account_id = $1 AND a.region = $2 AND a.alias_name = $3",
            ReadKey, scope.AccountId, scope.Region, aliasName);

    private static Task InsertAsync(PostgresSession session, KeyRecord key) =>
        session.ExecuteAsync(
            "INSERT INTO cairn_keys.keys (account_id, region, key_id, description, key_usage, key_spec, origin, key_manager, enabled, policy, tags, wrapped_material, created_at, updated_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            key.Scope.AccountId, key.Scope.Region, key.KeyId, key.Description, key.KeyUsage, key.KeySpec, key.Origin, key.KeyManager,
            key.Enabled, key.Policy, JsonSerializer.Serialize(key.Tags), key.WrappedMaterial, key.CreatedAt, key.CreatedAt);

    private static Task InsertAliasAsync(PostgresSession session, AliasRecord alias) =>
        session.ExecuteAsync(
            "INSERT INTO cairn_keys.aliases (account_id, region, alias_name, target_key_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            alias.Scope.AccountId, alias.Scope.Region, alias.AliasName, alias.TargetKeyId, alias.CreatedAt, alias.UpdatedAt);

    private static KeyRecord ReadKey(NpgsqlDataReader row) => new(
        new KeyScope(row.GetString(0), row.GetString(1)),
        row.GetString(2),
        row.GetString(3),
        row.GetString(4),
        row.GetString(5),
        row.GetString(6),
        row.GetString(7),
        row.GetBoolean(8),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(9)),
        (byte[])row.GetValue(10),
        row.IsDBNull(11) ? null : row.GetString(11),
        JsonSerializer.Deserialize<List<KeyTag>>(row.GetString(12)) ?? [])
    {
        DeletionDate = row.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(13)),
        PendingWindowInDays = row.IsDBNull(14) ? null : row.GetInt32(14),
        RotationPeriodInDays = row.IsDBNull(15) ? null : row.GetInt32(15),
        NextRotationDate = row.IsDBNull(16) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(16)),
        Rotations = JsonSerializer.Deserialize<List<KeyMaterialVersion>>(row.GetString(17)) ?? [],
    };

    private static AliasRecord ReadAlias(NpgsqlDataReader row) => new(
        new KeyScope(row.GetString(0), row.GetString(1)),
        row.GetString(2),
        row.GetString(3),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(4)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(5)));

    /// <summary>One transaction; once it commits, this server's change number moves.</summary>
    private async Task WriteAsync(Func<PostgresSession, Task> work, CancellationToken cancellationToken)
    {
        await database.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        _generation.Moved();
    }

    private async Task<T> WriteAsync<T>(Func<PostgresSession, Task<T>> work, CancellationToken cancellationToken)
    {
        var result = await database.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        _generation.Moved();
        return result;
    }
}
