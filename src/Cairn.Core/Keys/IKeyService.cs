namespace Cairn.Core.Keys;

/// <summary>Account and region a key lives in: keys, like parameters, are regional.</summary>
public readonly record struct KeyScope(string AccountId, string Region);

/// <summary>A key as the Parameter Store needs to know it.</summary>
/// <param name="Arn">arn:aws:kms:region:account:key/uuid.</param>
/// <param name="IsAwsManaged">True for alias/aws/ssm: every principal of the account may use it.</param>
/// <param name="Enabled">False for a disabled key: Encrypt and Decrypt under it fail with DisabledException.</param>
public sealed record KeyReference(string KeyId, string Arn, bool IsAwsManaged, bool Enabled = true)
{
    /// <summary>Set while the key is pending deletion: using it fails with KMSInvalidStateException.</summary>
    public DateTimeOffset? DeletionDate { get; init; }

    /// <summary>The key policy as stored; null means KMS's default policy (the account delegates to IAM).</summary>
    public string? Policy { get; init; }
}

public sealed record DecryptResult(byte[] Plaintext, KeyReference Key);

/// <summary>
/// KMS semantics for other services: encrypt and decrypt under a key with an encryption context that must
/// match on decrypt. Key ids may be a key id, key ARN, alias name or alias ARN. <c>alias/aws/ssm</c> always
/// resolves: its key is created on first use in each account and region. No authorization happens here: the
/// calling service decides who may use which key.
/// </summary>
/// <remarks>
/// Failures are <see cref="Errors.AwsException"/>s carrying KMS's own codes and texts, for the caller to map (SSM
/// turns them into InvalidKeyId): NotFoundException (no such key or alias, or a malformed id), DisabledException,
/// InvalidCiphertextException (tampered blob, wrong encryption context, or a key of another account/region).
/// </remarks>
public interface IKeyService
{
    /// <summary>Resolves a key reference; null when no such key or alias exists (or the id is malformed). Disabled keys are returned with Enabled = false.</summary>
    Task<KeyReference?> FindKeyAsync(KeyScope scope, string keyId, CancellationToken cancellationToken);

    /// <summary>Encrypts (no 4096-byte limit here: that is the KMS API's); the blob names its key, so decrypting needs no key id.</summary>
    Task<byte[]> EncryptAsync(KeyScope scope, string keyId, ReadOnlyMemory<byte> plaintext,
        IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken);

    Task<DecryptResult> DecryptAsync(KeyScope scope, ReadOnlyMemory<byte> ciphertextBlob,
        IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken);
}
