namespace Cairn.Core.Keys;

/// <summary>Account and region a key lives in: keys, like parameters, are regional.</summary>
public readonly record struct KeyScope(string AccountId, string Region);

/// <summary>A key as the Parameter Store needs to know it.</summary>
/// <param name="Arn">arn:aws:kms:region:account:key/uuid.</param>
/// <param name="IsAwsManaged">True for alias/aws/ssm: every principal of the account may use it.</param>
public sealed record KeyReference(string KeyId, string Arn, bool IsAwsManaged);

public sealed record DecryptResult(byte[] Plaintext, KeyReference Key);

/// <summary>
/// KMS semantics for other services: encrypt and decrypt under a key with an encryption context that must
/// match on decrypt. Key ids may be a key id, key ARN, alias name or alias ARN.
/// </summary>
public interface IKeyService
{
    /// <summary>Resolves a key reference; throws InvalidKeyId (SSM's code) style errors via the caller's mapping when missing or disabled.</summary>
    Task<KeyReference?> FindKeyAsync(KeyScope scope, string keyId, CancellationToken cancellationToken);

    Task<byte[]> EncryptAsync(KeyScope scope, string keyId, ReadOnlyMemory<byte> plaintext,
        IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken);

    Task<DecryptResult> DecryptAsync(KeyScope scope, ReadOnlyMemory<byte> ciphertextBlob,
        IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken);
}
