using Cairn.Core.Errors;
using Cairn.Core.Keys;

namespace Cairn.Server.Services.Ssm;

/// <summary>Stands in until a KMS module registers the real <see cref="IKeyService"/>: SecureString needs one.</summary>
internal sealed class UnavailableKeyService : IKeyService
{
    private static AwsException Unavailable() =>
        AwsErrors.Internal("SecureString parameters need the key service (KMS), which is not configured on this server.");

    public Task<KeyReference?> FindKeyAsync(KeyScope scope, string keyId, CancellationToken cancellationToken) => throw Unavailable();

    public Task<byte[]> EncryptAsync(KeyScope scope, string keyId, ReadOnlyMemory<byte> plaintext,
        IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken) => throw Unavailable();

    public Task<DecryptResult> DecryptAsync(KeyScope scope, ReadOnlyMemory<byte> ciphertextBlob,
        IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken) => throw Unavailable();
}
