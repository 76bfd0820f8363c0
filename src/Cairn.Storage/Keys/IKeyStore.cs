using Cairn.Core.Keys;

namespace Cairn.Storage.Keys;

/// <summary>
/// Where KMS keys and aliases live (SQLite now, PostgreSQL later). Keys hold only wrapped material. Every lookup is
/// scoped to one account and region. Every committed change to a key or alias moves the store's
/// <c>IChangeFeed&lt;IKeyStore&gt;</c>.
/// </summary>
public interface IKeyStore
{
    Task<KeyRecord?> FindKeyAsync(KeyScope scope, string keyId, CancellationToken cancellationToken);

    /// <summary>The key an alias points to, or null when the alias does not exist.</summary>
    Task<KeyRecord?> FindKeyByAliasAsync(KeyScope scope, string aliasName, CancellationToken cancellationToken);

    Task InsertKeyAsync(KeyRecord key, CancellationToken cancellationToken);

    /// <summary>
    /// Returns the key <paramref name="aliasName"/> points to, first creating <paramref name="candidate"/> and the alias
    /// in one transaction when the alias does not exist yet. Concurrent callers all get the same key.
    /// </summary>
    Task<KeyRecord> GetOrCreateAliasedKeyAsync(KeyRecord candidate, string aliasName, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>False when the key does not exist.</summary>
    Task<bool> SetEnabledAsync(KeyScope scope, string keyId, bool enabled, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the key and writes <paramref name="change"/>'s result (description, state, policy, tags, deletion, rotation)
    /// in one write transaction; <paramref name="change"/> may throw to refuse. Null when the key does not exist.
    /// </summary>
    Task<KeyRecord?> UpdateKeyAsync(KeyScope scope, string keyId, Func<KeyRecord, KeyRecord> change, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes a key and every alias pointing to it (a scheduled deletion come due). False when it did not exist.</summary>
    Task<bool> DeleteKeyAsync(KeyScope scope, string keyId, CancellationToken cancellationToken);

    /// <summary>Deletes every key of the scope whose scheduled deletion date is at or before <paramref name="now"/>, with its aliases.</summary>
    Task DeleteKeysDueAsync(KeyScope scope, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Points an existing alias at another key. False when the alias does not exist.</summary>
    Task<bool> UpdateAliasAsync(KeyScope scope, string aliasName, string targetKeyId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>False when the alias does not exist.</summary>
    Task<bool> DeleteAliasAsync(KeyScope scope, string aliasName, CancellationToken cancellationToken);

    /// <summary>The alias of that name, or null.</summary>
    Task<AliasRecord?> FindAliasAsync(KeyScope scope, string aliasName, CancellationToken cancellationToken);

    /// <summary>False when an alias of that name already exists in the scope.</summary>
    Task<bool> TryInsertAliasAsync(AliasRecord alias, CancellationToken cancellationToken);

    /// <summary>Keys ordered by key id, those after <paramref name="afterKeyId"/>; at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<KeyRecord>> ListKeysAsync(KeyScope scope, string? afterKeyId, int limit, CancellationToken cancellationToken);

    /// <summary>Aliases ordered by name, optionally only those targeting one key.</summary>
    Task<IReadOnlyList<AliasRecord>> ListAliasesAsync(KeyScope scope, string? targetKeyId, string? afterAliasName, int limit, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="candidate"/> as the master-key check value unless one exists; returns the stored one.</summary>
    Task<byte[]> GetOrAddMasterKeyCheckAsync(byte[] candidate, DateTimeOffset now, CancellationToken cancellationToken);
}
