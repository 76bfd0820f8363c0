using System.Collections.Concurrent;
using System.Text.Json;
using Cairn.Core.Keys;
using Cairn.Storage.Changes;
using Cairn.Storage.Keys;

namespace Cairn.Storage.Sqlite.Keys;

/// <summary>
/// KMS keys and aliases in the embedded database (tables from <see cref="KeyMigrations"/>). Keys found by id or alias are
/// cached (every SecureString read resolves one): this process's writes are seen at once, another process's within a
/// second, as the KMS API is eventually consistent on AWS too (<see cref="SharedGeneration"/>).
/// </summary>
public sealed class SqliteKeyStore(SqliteDatabase database, TimeSpan? otherProcessesDelay = null) : IKeyStore, IChangeFeed<IKeyStore>
{
    private readonly SharedGeneration _generation = new(database, "kms_generation", otherProcessesDelay);
    private readonly ConcurrentDictionary<(string Account, string Region, string Name), (long Generation, KeyRecord Key)> _byId = new();
    private readonly ConcurrentDictionary<(string Account, string Region, string Name), (long Generation, KeyRecord Key)> _byAlias = new();

    private const string KeyColumns =
        "k.account_id, k.region, k.key_id, k.description, k.key_usage, k.key_spec, k.origin, k.key_manager, k.enabled, k.created_at, k.wrapped_material, k.policy, k.tags, "
        + "k.deletion_date, k.pending_window_days, k.rotation_period_days, k.next_rotation_date, k.rotations";

    private const string AliasColumns = "account_id, region, alias_name, target_key_id, created_at, updated_at";

    public ValueTask<long> CurrentAsync(CancellationToken cancellationToken) => _generation.CurrentAsync(cancellationToken);

    public Task<KeyRecord?> FindKeyAsync(KeyScope scope, string keyId, CancellationToken cancellationToken) =>
        Task.FromResult(Cached(_byId, scope, keyId, connection => connection.QuerySingle(
            $"SELECT {KeyColumns} FROM kms_keys k WHERE k.account_id = ? AND k.region = ? AND k.key_id = ?",
            ReadKey, scope.AccountId, scope.Region, keyId)));

    public Task<KeyRecord?> FindKeyByAliasAsync(KeyScope scope, string aliasName, CancellationToken cancellationToken) =>
        Task.FromResult(Cached(_byAlias, scope, aliasName, connection => FindByAlias(connection, scope, aliasName)));

    public async Task InsertKeyAsync(KeyRecord key, CancellationToken cancellationToken)
    {
        await database.WriteAsync(connection => Insert(connection, key), cancellationToken).ConfigureAwait(false);
        _generation.Moved();
    }

    /// <summary>A found key from the cache when nothing changed since it was read; absent ones are not cached.</summary>
    private KeyRecord? Cached(
        ConcurrentDictionary<(string Account, string Region, string Name), (long Generation, KeyRecord Key)> cache,
        KeyScope scope, string name, Func<SqliteConnection, KeyRecord?> read)
    {
        var generation = _generation.Current;
        var key = (scope.AccountId, scope.Region, name);
        if (cache.TryGetValue(key, out var cached) && cached.Generation == generation)
        {
            return cached.Key;
        }

        var found = database.Read(read);
        if (found is not null)
        {
            cache[key] = (generation, found);
        }

        return found;
    }

    public async Task<KeyRecord> GetOrCreateAliasedKeyAsync(KeyRecord candidate, string aliasName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Fast path on a reader; the writer re-checks, and writes are serialized, so two first uses create one key.
        var existing = await FindKeyByAliasAsync(candidate.Scope, aliasName, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var key = await database.WriteAsync(connection =>
        {
            var found = FindByAlias(connection, candidate.Scope, aliasName);
            if (found is not null)
            {
                return found;
            }

            Insert(connection, candidate);
            InsertAlias(connection, new AliasRecord(candidate.Scope, aliasName, candidate.KeyId, now, now));
            return candidate;
        }, cancellationToken).ConfigureAwait(false);
        _generation.Moved();
        return key;
    }

    public async Task<bool> SetEnabledAsync(KeyScope scope, string keyId, bool enabled, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = await database.WriteAsync(connection => connection.Execute(
            "UPDATE kms_keys SET enabled = ?, updated_at = ? WHERE account_id = ? AND region = ? AND key_id = ?",
            enabled, now, scope.AccountId, scope.Region, keyId) > 0, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            _generation.Moved();
        }

        return changed;
    }

    public async Task<KeyRecord?> UpdateKeyAsync(KeyScope scope, string keyId, Func<KeyRecord, KeyRecord> change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var updated = await database.WriteAsync(connection =>
        {
            var found = connection.QuerySingle(
                $"SELECT {KeyColumns} FROM kms_keys k WHERE k.account_id = ? AND k.region = ? AND k.key_id = ?",
                ReadKey, scope.AccountId, scope.Region, keyId);
            if (found is null)
            {
                return null;
            }

            var key = change(found);
            connection.Execute(
                "UPDATE kms_keys SET description = ?, enabled = ?, policy = ?, tags = ?, deletion_date = ?, pending_window_days = ?, "
                + "rotation_period_days = ?, next_rotation_date = ?, rotations = ?, updated_at = ? WHERE account_id = ? AND region = ? AND key_id = ?",
                key.Description, key.Enabled, key.Policy, JsonSerializer.Serialize(key.Tags), key.DeletionDate, key.PendingWindowInDays,
                key.RotationPeriodInDays, key.NextRotationDate, JsonSerializer.Serialize(key.Rotations), now, scope.AccountId, scope.Region, keyId);
            return key;
        }, cancellationToken).ConfigureAwait(false);
        if (updated is not null)
        {
            _generation.Moved();
        }

        return updated;
    }

    public async Task<bool> DeleteKeyAsync(KeyScope scope, string keyId, CancellationToken cancellationToken)
    {
        var deleted = await database.WriteAsync(connection =>
        {
            connection.Execute("DELETE FROM kms_aliases WHERE account_id = ? AND region = ? AND target_key_id = ?", scope.AccountId, scope.Region, keyId);
            return connection.Execute("DELETE FROM kms_keys WHERE account_id = ? AND region = ? AND key_id = ?", scope.AccountId, scope.Region, keyId) > 0;
        }, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            _generation.Moved();
        }

        return deleted;
    }

    public async Task DeleteKeysDueAsync(KeyScope scope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Most calls find nothing due: look on a reader first, so listing takes no write lock.
        var due = database.Read(connection => connection.QuerySingle(
            "SELECT 1 FROM kms_keys WHERE account_id = ? AND region = ? AND deletion_date <= ? LIMIT 1",
            row => true, scope.AccountId, scope.Region, now));
        if (!due)
        {
            return;
        }

        await database.WriteAsync(connection =>
        {
            connection.Execute(
                "DELETE FROM kms_aliases WHERE account_id = ? AND region = ? AND target_key_id IN "
                + "(SELECT key_id FROM kms_keys WHERE account_id = ? AND region = ? AND deletion_date <= ?)",
                scope.AccountId, scope.Region, scope.AccountId, scope.Region, now);
            connection.Execute("DELETE FROM kms_keys WHERE account_id = ? AND region = ? AND deletion_date <= ?", scope.AccountId, scope.Region, now);
        }, cancellationToken).ConfigureAwait(false);
        _generation.Moved();
    }

    public async Task<bool> UpdateAliasAsync(KeyScope scope, string aliasName, string targetKeyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = await database.WriteAsync(connection => connection.Execute(
            "UPDATE kms_aliases SET target_key_id = ?, updated_at = ? WHERE account_id = ? AND region = ? AND alias_name = ?",
            targetKeyId, now, scope.AccountId, scope.Region, aliasName) > 0, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            _generation.Moved();
        }

        return changed;
    }

    public async Task<bool> DeleteAliasAsync(KeyScope scope, string aliasName, CancellationToken cancellationToken)
    {
        var deleted = await database.WriteAsync(connection => connection.Execute(
            "DELETE FROM kms_aliases WHERE account_id = ? AND region = ? AND alias_name = ?",
            scope.AccountId, scope.Region, aliasName) > 0, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            _generation.Moved();
        }

        return deleted;
    }

    public Task<AliasRecord?> FindAliasAsync(KeyScope scope, string aliasName, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection => connection.QuerySingle(
            $"SELECT {AliasColumns} FROM kms_aliases WHERE account_id = ? AND region = ? AND alias_name = ?",
            ReadAlias, scope.AccountId, scope.Region, aliasName)));

    public async Task<bool> TryInsertAliasAsync(AliasRecord alias, CancellationToken cancellationToken)
    {
        var inserted = await database.WriteAsync(connection =>
        {
            var exists = connection.QuerySingle(
                "SELECT 1 FROM kms_aliases WHERE account_id = ? AND region = ? AND alias_name = ?",
                row => true, alias.Scope.AccountId, alias.Scope.Region, alias.AliasName);
            if (exists)
            {
                return false;
            }

            InsertAlias(connection, alias);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (inserted)
        {
            // A refused alias changed nothing: cached keys stay valid.
            _generation.Moved();
        }

        return inserted;
    }

    public Task<IReadOnlyList<KeyRecord>> ListKeysAsync(KeyScope scope, string? afterKeyId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KeyRecord>>(database.Read(connection => connection.Query(
            $"SELECT {KeyColumns} FROM kms_keys k WHERE k.account_id = ? AND k.region = ? AND k.key_id > ? ORDER BY k.key_id LIMIT ?",
            ReadKey, scope.AccountId, scope.Region, afterKeyId ?? string.Empty, limit)));

    public Task<IReadOnlyList<AliasRecord>> ListAliasesAsync(KeyScope scope, string? targetKeyId, string? afterAliasName, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AliasRecord>>(database.Read(connection => targetKeyId is null
            ? connection.Query(
                $"SELECT {AliasColumns} FROM kms_aliases WHERE account_id = ? AND region = ? AND alias_name > ? ORDER BY alias_name LIMIT ?",
                ReadAlias, scope.AccountId, scope.Region, afterAliasName ?? string.Empty, limit)
            : connection.Query(
                $"SELECT {AliasColumns} FROM kms_aliases WHERE account_id = ? AND region = ? AND target_key_id = ? AND alias_name > ? ORDER BY alias_name LIMIT ?",
                ReadAlias, scope.AccountId, scope.Region, targetKeyId, afterAliasName ?? string.Empty, limit)));

    public Task<byte[]> GetOrAddMasterKeyCheckAsync(byte[] candidate, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var stored = connection.QuerySingle("SELECT check_value FROM kms_master_key_check WHERE id = 1", row => row.GetBlob(0));
            if (stored is not null)
            {
                return stored;
            }

            connection.Execute("INSERT INTO kms_master_key_check (id, check_value, created_at) VALUES (1, ?, ?)", candidate, now);
            return candidate;
        }, cancellationToken);

    private static KeyRecord? FindByAlias(SqliteConnection connection, KeyScope scope, string aliasName) =>
        connection.QuerySingle(
            $"SELECT {KeyColumns} FROM kms_aliases a JOIN kms_keys k ON k.account_id = a.account_id AND k.region = a.region AND k.key_id = a.target_key_id "
            + "WHERE a.account_id = ? AND a.region = ? AND a.alias_name = ?",
            ReadKey, scope.AccountId, scope.Region, aliasName);

    private static void Insert(SqliteConnection connection, KeyRecord key) =>
        connection.Execute(
            "INSERT INTO kms_keys (account_id, region, key_id, description, key_usage, key_spec, origin, key_manager, enabled, policy, tags, wrapped_material, created_at, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            key.Scope.AccountId, key.Scope.Region, key.KeyId, key.Description, key.KeyUsage, key.KeySpec, key.Origin, key.KeyManager,
            key.Enabled, key.Policy, JsonSerializer.Serialize(key.Tags), key.WrappedMaterial, key.CreatedAt, key.CreatedAt);

    private static void InsertAlias(SqliteConnection connection, AliasRecord alias) =>
        connection.Execute(
            "INSERT INTO kms_aliases (account_id, region, alias_name, target_key_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            alias.Scope.AccountId, alias.Scope.Region, alias.AliasName, alias.TargetKeyId, alias.CreatedAt, alias.UpdatedAt);

    private static KeyRecord ReadKey(SqliteRow row) => new(
        new KeyScope(row.GetString(0), row.GetString(1)),
        row.GetString(2),
        row.GetString(3),
        row.GetString(4),
        row.GetString(5),
        row.GetString(6),
        row.GetString(7),
        row.GetBoolean(8),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(9)),
        row.GetBlob(10),
        row.GetStringOrNull(11),
        JsonSerializer.Deserialize<List<KeyTag>>(row.GetString(12)) ?? [])
    {
        DeletionDate = row.IsNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(13)),
        PendingWindowInDays = row.IsNull(14) ? null : row.GetInt32(14),
        RotationPeriodInDays = row.IsNull(15) ? null : row.GetInt32(15),
        NextRotationDate = row.IsNull(16) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(16)),
        Rotations = JsonSerializer.Deserialize<List<KeyMaterialVersion>>(row.GetString(17)) ?? [],
    };

    private static AliasRecord ReadAlias(SqliteRow row) => new(
        new KeyScope(row.GetString(0), row.GetString(1)),
        row.GetString(2),
        row.GetString(3),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(4)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(5)));
}
