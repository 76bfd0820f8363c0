using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cairn.Core.Errors;
using Cairn.Core.Keys;
using Cairn.Storage.Keys;

namespace Cairn.Application.Keys;

/// <summary>
/// The keys themselves: resolving any form of key id, creating keys (and alias/aws/ssm's on first use), and
/// AES-256-GCM encryption under them. Serves <see cref="KeyService"/> (KMS's operations, authorized) and other services
/// (<see cref="IKeyService"/>, no authorization: the caller does that).
/// </summary>
public sealed class KeyRing : IKeyService, IDisposable
{
    private const int KeyMaterialSize = 32;

    private readonly IKeyStore _store;
    private readonly MasterKey _masterKey;
    private readonly TimeProvider _time;

    // Unwrapped material by key id. Material never changes, so entries never go stale; it is never logged.
    private readonly ConcurrentDictionary<string, byte[]> _materials = new(StringComparer.Ordinal);

    public KeyRing(IKeyStore store, MasterKey masterKey, TimeProvider time)
    {
        _store = store;
        _masterKey = masterKey;
        _time = time;
    }

    public async Task<KeyReference?> FindKeyAsync(KeyScope scope, string keyId, CancellationToken cancellationToken)
    {
        try
        {
            return (await ResolveAsync(scope, keyId, allowAlias: true, cancellationToken)).ToReference();
        }
        catch (AwsException error) when (error.Code == "NotFoundException")
        {
            return null;
        }
    }

    public async Task<byte[]> EncryptAsync(KeyScope scope, string keyId, ReadOnlyMemory<byte> plaintext,
        IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken)
    {
        var key = await ResolveAsync(scope, keyId, allowAlias: true, cancellationToken);
        EnsureSymmetric(key, "Encrypt");
        EnsureUsable(key);
        return Encrypt(key, plaintext.Span, encryptionContext);
    }

    public async Task<DecryptResult> DecryptAsync(KeyScope scope, ReadOnlyMemory<byte> ciphertextBlob,
        IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken)
    {
        var key = await FindCiphertextKeyAsync(scope, ciphertextBlob, cancellationToken) ?? throw AwsErrors.KmsInvalidCiphertext();
        EnsureUsable(key);
        return new DecryptResult(Decrypt(key, ciphertextBlob.Span, encryptionContext), key.ToReference());
    }

    /// <summary>
    /// Resolves a key id, key ARN, alias name or alias ARN in the scope, with KMS's NotFoundException texts.
    /// <paramref name="allowAlias"/> is false for operations that take only a key id or key ARN.
    /// </summary>
    public async Task<KeyRecord> ResolveAsync(KeyScope scope, string keyId, bool allowAlias, CancellationToken cancellationToken)
    {
        var id = KeyIdentifier.Parse(keyId);
        if (id.ArnRegion is not null && id.ArnRegion != scope.Region)
        {
            throw AwsErrors.KmsInvalidArn(id.ArnRegion);
        }

        if (id.IsAlias)
        {
            if (!allowAlias)
            {
                throw AwsErrors.KmsInvalidKeyId(keyId);
            }

            var aliasArn = KeyArns.Alias(scope, id.Name);
            if (id.ArnAccount is not null && id.ArnAccount != scope.AccountId)
            {
                throw AwsErrors.KmsAliasNotFound(keyId);
            }

            if (AwsManagedKeys.DescriptionOf(id.Name) is not null)
            {
                return await EnsureAwsManagedKeyAsync(scope, id.Name, cancellationToken);
            }

            return await CurrentAsync(await _store.FindKeyByAliasAsync(scope, id.Name, cancellationToken), cancellationToken)
                ?? throw AwsErrors.KmsAliasNotFound(aliasArn);
        }

        var arn = id.Kind == KeyIdentifierKind.KeyArn ? keyId : KeyArns.Key(scope, id.Name);
        if (id.ArnAccount is not null && id.ArnAccount != scope.AccountId)
        {
            throw AwsErrors.KmsKeyNotFound(arn);
        }

        return await CurrentAsync(await _store.FindKeyAsync(scope, id.Name, cancellationToken), cancellationToken) ?? throw AwsErrors.KmsKeyNotFound(arn);
    }

    /// <summary>The key a ciphertext blob names, in this scope; null when the blob is not Cairn's or its key is not here.</summary>
    public async Task<KeyRecord?> FindCiphertextKeyAsync(KeyScope scope, ReadOnlyMemory<byte> ciphertextBlob, CancellationToken cancellationToken)
    {
        var keyId = CiphertextBlob.ReadKeyId(ciphertextBlob.Span);
        return keyId is null ? null : await CurrentAsync(await _store.FindKeyAsync(scope, keyId, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The key as of now: a scheduled deletion whose date has passed happens (null: the key and its aliases are gone), and
    /// automatic rotation whose date has passed adds material. Checked on every lookup, so no timer is needed.
    /// </summary>
    public async Task<KeyRecord?> CurrentAsync(KeyRecord? key, CancellationToken cancellationToken)
    {
        if (key is null)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (key.DeletionDate is { } deletion && deletion <= now)
        {
            await _store.DeleteKeyAsync(key.Scope, key.KeyId, cancellationToken);
            return null;
        }

        if (key.NextRotationDate is { } due && due <= now && key.Enabled)
        {
            return await _store.UpdateKeyAsync(key.Scope, key.KeyId, found => found.NextRotationDate is { } stillDue && stillDue <= now && found.Enabled
                ? WithNewMaterial(found, KeyMaterialVersion.Automatic, now) with { NextRotationDate = now.AddDays(found.RotationPeriodInDays ?? 365) }
                : found, now, cancellationToken);
        }

        return key;
    }

    /// <summary>The key with one more material version, which encrypts from now on; earlier ones still decrypt.</summary>
    public KeyRecord WithNewMaterial(KeyRecord key, string rotationType, DateTimeOffset now)
    {
        var version = key.CurrentMaterialVersion + 1;
        var material = RandomNumberGenerator.GetBytes(KeyMaterialSize);
        try
        {
            var wrapped = _masterKey.WrapKeyMaterial(KeyMaterialVersion.WrapId(key.KeyId, version), material);
            return key with { Rotations = [.. key.Rotations, new KeyMaterialVersion(version, wrapped, rotationType, now)] };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>The AWS managed key behind a reserved alias (alias/aws/ssm), created with its alias on first use.</summary>
    public async Task<KeyRecord> EnsureAwsManagedKeyAsync(KeyScope scope, string aliasName, CancellationToken cancellationToken)
    {
        var description = AwsManagedKeys.DescriptionOf(aliasName)
            ?? throw new ArgumentException($"{aliasName} is not an AWS managed alias Cairn creates.", nameof(aliasName));

        // Made once per account and region, then only read: every SecureString under the default key asks for it, and the
        // creation is a write under a lock on the alias (PostgreSQL: a transaction on any server; SQLite: the writer), which
        // would queue them all one after another. A reserved alias (aws/...) is never made by a user nor moved.
        if (await _store.FindKeyByAliasAsync(scope, aliasName, cancellationToken) is { } existing)
        {
            return existing;
        }

        var candidate = NewKey(scope, description, KeyRecord.AwsManaged, policy: null, tags: []);
        return await _store.GetOrCreateAliasedKeyAsync(candidate, aliasName, candidate.CreatedAt, cancellationToken);
    }

    /// <summary>
    /// Creates a customer managed key with fresh material: 32 random bytes (symmetric), the HMAC key spec's length of random
    /// bytes, or a key pair's PKCS#8 private key (RSA, ECC), wrapped under the master key like every material.
    /// </summary>
    public async Task<KeyRecord> CreateKeyAsync(KeyScope scope, string description, string? policy, IReadOnlyList<KeyTag> tags,
        string keySpec, string keyUsage, CancellationToken cancellationToken)
    {
        var key = NewKey(scope, description, KeyRecord.CustomerManaged, policy, tags, keySpec, keyUsage);
        await _store.InsertKeyAsync(key, cancellationToken);
        return key;
    }

    /// <summary>Encrypts under the key's current material without checking its state; callers check it first.</summary>
    public byte[] Encrypt(KeyRecord key, ReadOnlySpan<byte> plaintext, IReadOnlyDictionary<string, string>? encryptionContext) =>
        CiphertextBlob.Encrypt(Material(key, key.CurrentMaterialVersion), key.KeyId, key.CurrentMaterialVersion, plaintext, encryptionContext);

    /// <summary>
    /// Decrypts a blob of this key under the material it names; InvalidCiphertextException when it was changed or the context
    /// differs, or when it names a key that is not a symmetric encryption key (only those make blobs).
    /// </summary>
    public byte[] Decrypt(KeyRecord key, ReadOnlySpan<byte> ciphertextBlob, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        var version = CiphertextBlob.ReadMaterialVersion(ciphertextBlob);
        if (key.KeySpec != KeyRecord.SymmetricDefault || version is null || (version != 0 && !key.Rotations.Any(r => r.Version == version)))
        {
            throw AwsErrors.KmsInvalidCiphertext();
        }

        return CiphertextBlob.TryDecrypt(Material(key, version.Value), ciphertextBlob, encryptionContext) ?? throw AwsErrors.KmsInvalidCiphertext();
    }

    /// <summary>Symmetric operations (SecureStrings, GenerateDataKey) refuse asymmetric and HMAC keys: InvalidKeyUsageException.</summary>
    public static void EnsureSymmetric(KeyRecord key, string operation)
    {
        if (key.KeySpec != KeyRecord.SymmetricDefault)
        {
            throw AwsErrors.KmsNotSymmetric(key.Arn, key.KeySpec, operation);
        }
    }

    /// <summary>A key that can encrypt and decrypt: not pending deletion (KMSInvalidStateException), enabled (DisabledException).</summary>
    public static void EnsureUsable(KeyRecord key)
    {
        if (key.IsPendingDeletion)
        {
            throw AwsErrors.KmsPendingDeletion(key.Arn);
        }

        if (!key.Enabled)
        {
            throw AwsErrors.KmsDisabled(key.Arn);
        }
    }

    private KeyRecord NewKey(KeyScope scope, string description, string keyManager, string? policy, IReadOnlyList<KeyTag> tags,
        string keySpec = KeyRecord.SymmetricDefault, string keyUsage = KeyRecord.EncryptDecrypt)
    {
        var keyId = Guid.NewGuid().ToString("D");
        var material = KeySpecs.IsAsymmetric(keySpec) ? KeyPairs.Generate(keySpec)
            : RandomNumberGenerator.GetBytes(KeySpecs.HmacKeyBytes(keySpec) ?? KeyMaterialSize);
        try
        {
            return new KeyRecord(scope, keyId, description, keyUsage, keySpec, KeyRecord.AwsKmsOrigin,
                keyManager, Enabled: true, _time.GetUtcNow(), _masterKey.WrapKeyMaterial(keyId, material), policy, tags);
        }
        finally
        {
            // The key may lose a creation race (alias/aws/ssm), so its material is not cached here; it is unwrapped on first use.
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>
    /// The key's first unwrapped material (an asymmetric key's PKCS#8 private key, an HMAC key's secret), cached. Internal:
    /// only the key service, this class and the at-rest tests see it; it never leaves the process.
    /// </summary>
    internal byte[] Material(KeyRecord key) => Material(key, 0);

    /// <summary>One material version of the key, unwrapped and cached (a version's material never changes).</summary>
    private byte[] Material(KeyRecord key, int version)
    {
        var wrapped = version == 0 ? key.WrappedMaterial : key.Rotations.First(r => r.Version == version).WrappedMaterial;
        return _materials.GetOrAdd(KeyMaterialVersion.WrapId(key.KeyId, version),
            static (wrapId, state) => state.Master.UnwrapKeyMaterial(wrapId, state.Wrapped), (Master: _masterKey, Wrapped: wrapped));
    }

    /// <summary>Zeroes the cached material when the server stops.</summary>
    public void Dispose()
    {
        foreach (var material in _materials.Values)
        {
            CryptographicOperations.ZeroMemory(material);
        }

        _materials.Clear();
    }
}
